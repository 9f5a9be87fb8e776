/** SQL: DB-API drivers, SQLAlchemy, pandas. Only the SQL text is a sink; bound parameters never are. (Django's ORM escape hatches are in django.ts.) */
import type { FlowModel } from './types.js';

export const sqlModel: FlowModel = {
  name: 'SQL (DB-API drivers, SQLAlchemy, pandas)',
  sinks: [
    { rule: 'PW101', methods: ['execute', 'executemany', 'executescript', 'mogrify'], args: [0, 'sql', 'operation', 'query', 'statement', 'sql_script'], description: 'DB-API `cursor.execute(sql)` (sqlite3, psycopg, MySQLdb, pymysql, ...), SQLAlchemy `session.execute(sql)`' },
    { rule: 'PW101', methods: ['exec_driver_sql'], args: [0, 'statement'], description: 'SQLAlchemy `connection.exec_driver_sql(sql)`' },
    { rule: 'PW101', qnames: ['sqlalchemy.text', 'sqlalchemy.sql.text', 'sqlalchemy.sql.expression.text', 'sqlalchemy.literal_column', 'sqlmodel.text'], args: [0, 'text'], description: 'SQLAlchemy `text(sql)`' },
    { rule: 'PW101', qnames: ['pandas.read_sql', 'pandas.read_sql_query', 'pandas.io.sql.read_sql'], args: [0, 'sql'], description: '`pandas.read_sql(sql, con)`' },
    { rule: 'PW101', qnames: ['connect()', 'create_pool()', 'create_pool().acquire()', 'pool.Pool()'].flatMap((c) => ['fetch', 'fetchrow', 'fetchval', 'execute', 'executemany', 'cursor'].map((m) => `asyncpg.${c}.${m}`)), args: [0, 'query'], description: 'asyncpg `connection.fetch(sql)` (a connection from `await asyncpg.connect()` or a pool)' },
    { rule: 'PW101', methods: ['fetchrow', 'fetchval'], args: [0, 'query'], description: 'asyncpg-style `connection.fetchrow(sql)` / `fetchval(sql)` on a connection whose type is not known' },
    { rule: 'PW101', qnames: ['rq.job.Job.fetch', 'rq.job.Job.fetch_many', 'rq.Job.fetch', 'rq.Job.fetch_many', 'rq.queue.Queue().fetch_job', 'rq.Queue().fetch_job'], args: [], description: 'RQ `Job.fetch(job_id, connection=...)` loads a job from Redis, no SQL (listed so no `fetch` sink for SQL drivers applies to it)' },
  ],
  sanitizers: [
    { methods: ['bindparams'], clears: ['PW101'], description: 'SQLAlchemy `text(sql).bindparams(name=value)`: the values are bound, not part of the SQL text (the `text()` call itself is still checked)' },
    { qnames: ['sqlalchemy.select', 'sqlalchemy.insert', 'sqlalchemy.update', 'sqlalchemy.delete', 'sqlalchemy.sql.select', 'sqlalchemy.sql.insert', 'sqlalchemy.sql.update', 'sqlalchemy.sql.delete', 'sqlalchemy.sql.expression.select', 'sqlalchemy.sql.expression.insert', 'sqlalchemy.sql.expression.update', 'sqlalchemy.sql.expression.delete', 'sqlalchemy.Table', 'sqlalchemy.schema.Table', 'sqlalchemy.sql.schema.Table', 'sqlalchemy.MetaData', 'sqlmodel.select'], clears: ['PW101'], description: 'SQLAlchemy Core statements and tables (`select(table)`, `Table(name, metadata, ...)`) render quoted identifiers and bound values; raw SQL inside them (`text()`, `literal_column()`) is checked where it is written' },
    { qnames: ['psycopg2.sql.Identifier', 'psycopg2.sql.Literal', 'psycopg.sql.Identifier', 'psycopg.sql.Literal', 'psycopg2.extensions.quote_ident', 'psycopg2.extensions.adapt'], clears: ['PW101'], description: "psycopg's `sql.Identifier` / `sql.Literal` quote a value for SQL" },
  ],
};
