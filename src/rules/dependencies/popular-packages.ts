/**
 * Widely used PyPI project names (normalised), the targets typo-squatters imitate. Hand-kept from
 * well-known download rankings; a name being here says nothing about its safety.
 */
export const POPULAR_PACKAGES: readonly string[] = [
  'boto3', 'botocore', 'urllib3', 'requests', 'setuptools', 'certifi', 'charset-normalizer', 'idna', 'typing-extensions',
  'python-dateutil', 'packaging', 's3transfer', 'six', 'aiobotocore', 'pyyaml', 'numpy', 'grpcio-status', 'pip', 'wheel',
  'cryptography', 'fsspec', 's3fs', 'pydantic', 'cffi', 'attrs', 'protobuf', 'pycparser', 'google-api-core', 'pandas',
  'importlib-metadata', 'jmespath', 'platformdirs', 'zipp', 'rsa', 'click', 'pyasn1', 'markupsafe', 'jinja2', 'pytz',
  'colorama', 'filelock', 'awscli', 'pydantic-core', 'tomli', 'pluggy', 'virtualenv', 'pytest', 'wrapt', 'jsonschema',
  'psutil', 'pyjwt', 'sqlalchemy', 'aiohttp', 'googleapis-common-protos', 'greenlet', 'requests-oauthlib', 'oauthlib',
  'pyasn1-modules', 'tzdata', 'multidict', 'yarl', 'frozenlist', 'aiosignal', 'docutils', 'exceptiongroup', 'iniconfig',
  'decorator', 'grpcio', 'pyarrow', 'soupsieve', 'beautifulsoup4', 'isodate', 'scipy', 'pillow', 'openpyxl', 'et-xmlfile',
  'lxml', 'werkzeug', 'flask', 'itsdangerous', 'blinker', 'django', 'sqlparse', 'asgiref', 'gunicorn', 'uvicorn', 'starlette',
  'fastapi', 'httpx', 'httpcore', 'h11', 'anyio', 'sniffio', 'rich', 'pygments', 'markdown-it-py', 'mdurl', 'tqdm', 'redis',
  'celery', 'kombu', 'billiard', 'vine', 'amqp', 'psycopg2', 'psycopg2-binary', 'psycopg', 'pymysql', 'mysqlclient',
  'matplotlib', 'kiwisolver', 'cycler', 'fonttools', 'pyparsing', 'contourpy', 'scikit-learn', 'joblib', 'threadpoolctl',
  'tensorflow', 'keras', 'torch', 'torchvision', 'transformers', 'tokenizers', 'huggingface-hub', 'safetensors', 'regex',
  'networkx', 'sympy', 'mpmath', 'nltk', 'opencv-python', 'seaborn', 'plotly', 'bokeh', 'dash', 'streamlit', 'gradio',
  'paramiko', 'bcrypt', 'pynacl', 'pyopenssl', 'pycryptodome', 'pycryptodomex', 'ecdsa', 'passlib', 'python-jose',
  'requests-toolbelt', 'websocket-client', 'websockets', 'simplejson', 'ujson', 'orjson', 'msgpack', 'marshmallow',
  'arrow', 'pendulum', 'babel', 'python-dotenv', 'pyzmq', 'tornado', 'twisted', 'gevent', 'eventlet', 'greenlet',
  'pytest-cov', 'coverage', 'pytest-mock', 'pytest-xdist', 'mock', 'tox', 'nox', 'black', 'isort', 'flake8', 'pylint',
  'mypy', 'ruff', 'bandit', 'pre-commit', 'sphinx', 'mkdocs', 'mkdocs-material', 'jupyter', 'notebook', 'ipython',
  'ipykernel', 'jupyterlab', 'nbformat', 'nbconvert', 'traitlets', 'tabulate', 'termcolor', 'colorlog', 'loguru',
  'structlog', 'sentry-sdk', 'prometheus-client', 'opentelemetry-api', 'opentelemetry-sdk', 'google-auth',
  'google-cloud-storage', 'google-cloud-bigquery', 'azure-core', 'azure-storage-blob', 'azure-identity', 'msal',
  'kubernetes', 'docker', 'ansible', 'ansible-core', 'fabric', 'invoke', 'pexpect', 'ptyprocess', 'sh', 'plumbum',
  'selenium', 'playwright', 'scrapy', 'mechanize', 'pyppeteer', 'boto', 'moto', 'responses', 'requests-mock', 'freezegun',
  'faker', 'factory-boy', 'hypothesis', 'alembic', 'peewee', 'pymongo', 'motor', 'elasticsearch', 'cassandra-driver',
  'pika', 'confluent-kafka', 'kafka-python', 'pyspark', 'dask', 'distributed', 'polars', 'xlrd', 'xlsxwriter',
  'python-multipart', 'email-validator', 'dnspython', 'jsonpickle', 'dill', 'cloudpickle', 'toml', 'tomlkit', 'ruamel-yaml',
  'pyproject-hooks', 'build', 'twine', 'poetry', 'poetry-core', 'pipenv', 'uv', 'hatchling', 'flit-core', 'cython',
  'numba', 'llvmlite', 'openai', 'anthropic', 'langchain', 'tiktoken', 'colorama', 'discord-py', 'python-telegram-bot',
  'slack-sdk', 'twilio', 'stripe', 'sendgrid', 'pytesseract', 'pdfminer-six', 'pypdf', 'reportlab', 'markdown', 'mistune',
  'bleach', 'html5lib', 'webencodings', 'chardet', 'cachetools', 'tenacity', 'backoff', 'retrying', 'deprecated',
  'more-itertools', 'toolz', 'sortedcontainers', 'pyrsistent', 'jsonpatch', 'jsonpointer', 'pyserial', 'pyusb', 'gitpython',
  'pygithub', 'python-gitlab', 'jira', 'atlassian-python-api', 'flask-sqlalchemy', 'flask-cors', 'flask-login', 'flask-wtf',
  'wtforms', 'django-rest-framework', 'djangorestframework', 'django-cors-headers', 'django-filter', 'channels',
];

/**
 * Established projects whose names happen to lie within the edit limit of a popular one (`scapy` and
 * `scipy`, `cattrs` and `attrs`, `markdown2` and `markdown`): not reported as typosquats.
 */
export const DISTINCT_NEIGHBOURS: readonly string[] = [
  'scapy', 'cattrs', 'pyaml', 'markdown2', 'tomli-w', 'pytest-env', 'jinja',
];
