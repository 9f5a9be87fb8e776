/** The rule pages: every rule renders with its documentation, all text is escaped, unknown ids are 404. */
import { escapeHtml, inlineHtml, markdownHtml, safeHref } from '../../src/report/markdown-html.js';
import { matchesQuery, renderRuleIndex } from '../../src/report/rule-index-page.js';
import { RULE_PAGE_CSP } from '../../src/report/rule-page-layout.js';
import { rulePageFor } from '../../src/report/rule-page.js';
import { formatValue } from '../../src/report/rules-doc.js';
import { ALL_RULES } from '../../src/rules/registry.js';
import { defineRule, type Rule } from '../../src/rules/rule.js';

/** The visible text of some HTML, entities decoded (enough for what the renderer writes). */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Text outside <code> and <pre>: where Markdown left unrendered would show as backticks and asterisk pairs. */
function prose(html: string): string {
  return text(html.replace(/<pre[\s\S]*?<\/pre>/g, '').replace(/<code>[\s\S]*?<\/code>/g, ''));
}

function page(segment: string, rules: readonly Rule[] = ALL_RULES): { status: number; html: string } {
  const result = rulePageFor(segment, rules);
  if ('location' in result) throw new Error(`${segment} redirects to ${result.location}`);
  return result;
}

describe('markdown-html', () => {
  it.each([
    ['`a < b`', '<code>a &lt; b</code>'],
    ['``f(`x`)``', '<code>f(`x`)</code>'],
    ['`` `x` ``', '<code>`x`</code>'],
    ['**bold** and *it*', '<strong>bold</strong> and <em>it</em>'],
    ['`f(**kwargs)` stays code', '<code>f(**kwargs)</code> stays code'],
    ['2 * 3 * 4', '2 * 3 * 4'],
    ['[CWE](https://cwe.mitre.org/x) <https://a.example/?a=1&b=2>', '<a href="https://cwe.mitre.org/x">CWE</a> <a href="https://a.example/?a=1&amp;b=2">https://a.example/?a=1&amp;b=2</a>'],
    // a link to anything but http(s) or a relative path keeps its text and loses the link
    ['[x](javascript:alert(1))', 'x)'],
    ['<script>alert(1)</script> & "q"', '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;'],
    ['an unclosed `tick', 'an unclosed `tick'],
  ])('%s', (md, html) => {
    expect(inlineHtml(md)).toBe(html);
  });

  it.each([
    ['https://x.example/a', 'https://x.example/a'],
    ['rules/B602', 'rules/B602'],
    ['javascript:alert(1)', undefined],
    [' JavaScript:alert(1)', undefined],
    ['data:text/html,x', undefined],
    ['//evil.example/x', undefined],
  ])('safeHref(%j) = %j', (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });

  it('renders blocks: headings shifted, lists, fenced code, paragraphs', () => {
    const html = markdownHtml('### Data flow\n\nSome `x` text\non two lines.\n\n- one\n- two *(m)*\n\n```python\nif a < b:\n    pass\n```', -1);
    expect(html).toBe(
      '<h2>Data flow</h2>\n<p>Some <code>x</code> text\non two lines.</p>\n<ul><li>one</li><li>two <em>(m)</em></li></ul>\n<pre><code class="language-python">if a &lt; b:\n    pass</code></pre>',
    );
  });

  it('escapes every HTML special character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });
});

describe('rule pages', () => {
  it.each(ALL_RULES.map((r) => [r.meta.id, r] as const))('%s renders its documentation', (id, rule) => {
    const { status, html } = page(id);
    expect(status).toBe(200);
    const { meta } = rule;
    const visible = text(html);
    expect(html).toContain(`<title>${id} ${escapeHtml(meta.name)} · pyward rules</title>`);
    expect(html).toContain(`<h1><code>${id}</code> ${escapeHtml(meta.name)}</h1>`);
    // the code examples, verbatim once the entities are decoded
    expect(visible).toContain(meta.doc.bad.replace(/\n+$/, ''));
    expect(visible).toContain(meta.doc.good.replace(/\n+$/, ''));
    expect(html).toContain(`https://cwe.mitre.org/data/definitions/${meta.cwe}.html`);
    for (const ref of meta.doc.references) expect(html).toContain(`href="${escapeHtml(ref)}"`);
    for (const heading of ['Why it matters', 'Example', 'How to fix', 'Configuration', 'Differences from Bandit', 'References']) expect(html).toContain(`>${heading}</h2>`);
    expect(visible).toContain(`rules.disable: [${id}]`);
    expect(visible).toContain(`# nosec ${id}`);
    for (const [name, value] of Object.entries(meta.options ?? {})) expect(visible).toContain(`${name}: ${formatValue(value)}`);
    if (rule.dataflow) {
      expect(html).toContain('<h2>Data flow</h2>');
      expect(visible).toContain(`dataflow.sinks.${id}`);
      expect(html).toMatch(/<strong>Sources<\/strong>[\s\S]*<strong>Sinks<\/strong>[\s\S]*<strong>Guards<\/strong>/);
    }
    if (meta.doc.banditDifferences) expect(visible).toContain(text(inlineHtml(meta.doc.banditDifferences.trim())));
    // no Markdown left unrendered in the prose
    expect(prose(html)).not.toMatch(/`|\*\*/);
    // headings never skip a level (screen readers navigate by them)
    const levels = [...html.matchAll(/<h(\d)[ >]/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    levels.forEach((level, i) => i && expect(level).toBeLessThanOrEqual(levels[i - 1]! + 1));
  });

  it('escapes everything a rule says', () => {
    const evil = defineRule({
      meta: {
        id: 'PW999',
        name: 'x<img src=x onerror=alert(1)>',
        severity: 'high',
        confidence: 'high',
        cwe: 79,
        doc: {
          summary: '<script>alert("summary")</script>',
          why: 'a </p><script>alert(2)</script> b',
          bad: '</code></pre><script>alert(3)</script>',
          good: 'x = "<b>"',
          fix: '[click](javascript:alert(4)) `</code><script>`',
          references: ['javascript:alert(5)', 'https://ok.example/"><script>alert(6)</script>'],
          banditDifferences: '<iframe src=x>',
        },
        options: { '<k>': ['<v>'] },
      },
      visit: {},
    });
    const { html } = page('PW999', [evil]);
    // a rule page has no script of its own: any tag below came from the rule's text
    expect(html).not.toMatch(/<(script|img|iframe|b)[\s>]/i);
    expect(html).not.toMatch(/href="(?!https?:|\.\.\/rules|data:,")/);
    expect(html).toContain('&lt;script&gt;alert(&quot;summary&quot;)&lt;/script&gt;');
    expect(html).toContain('<h1><code>PW999</code> x&lt;img src=x onerror=alert(1)&gt;</h1>');
    // a reference that is no http(s) URL is shown, not linked
    expect(html).toContain('<li>javascript:alert(5)</li>');
    expect(html).toContain('href="https://ok.example/&quot;&gt;&lt;script&gt;alert(6)&lt;/script&gt;"');
  });

  it.each(['PYSEC-2021-142', 'GHSA-8q59-q68h-6hv4', 'CVE-2020-14343'])('%s gets an advisory page linking to the advisory', (id) => {
    const { status, html } = page(id);
    expect(status).toBe(200);
    expect(html).toContain(`href="https://osv.dev/vulnerability/${id}"`);
    if (id.startsWith('GHSA')) expect(html).toContain(`href="https://github.com/advisories/${id}"`);
    expect(text(html)).toContain(`- id: ${id}`);
  });

  it.each(['B999', 'PW500', 'nothing', '<script>x</script>', 'PYSEC-2021-142/../x'])('%s is a 404 page that escapes the id', (id) => {
    const { status, html } = page(id);
    expect(status).toBe(404);
    expect(html).toContain('<h1>No such rule</h1>');
    expect(html).toContain(`<code>${escapeHtml(id)}</code>`);
    expect(html).toContain(`href="../rules?q=${escapeHtml(encodeURIComponent(id))}"`);
    expect(html).not.toContain('<script>x');
  });

  it.each([
    ['b602', 'B602'],
    ['subprocess_popen_with_shell_equals_true', 'B602'],
    ['Command-Injection', 'PW102'],
  ])('%s redirects to the page of %s', (segment, id) => {
    expect(rulePageFor(segment, ALL_RULES)).toEqual({ status: 301, location: id });
  });

  it('allows only its own inline style and script', () => {
    expect(RULE_PAGE_CSP).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; script-src 'sha256-[A-Za-z0-9+/=]+';/);
    const html = page('B602').html;
    expect(html).not.toMatch(/<script|<link rel="stylesheet"|https:\/\/fonts|style="/);
  });
});

describe('rule index', () => {
  it('lists every rule, linked to its page, with the search form and script', () => {
    const html = renderRuleIndex(ALL_RULES);
    for (const { meta } of ALL_RULES) expect(html).toContain(`<a href="rules/${meta.id}"><code>${meta.id}</code></a>`);
    expect(html).toContain('<form role="search" method="get" action="rules">');
    expect(html).toContain(`<p id="count" role="status">${ALL_RULES.length} rules</p>`);
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<tr[^>]* hidden>/);
  });

  it('?q= hides the rules that do not match, by id, name or summary, case-insensitively', () => {
    const html = renderRuleIndex(ALL_RULES, ' YAML ');
    const shown = [...html.matchAll(/<tr data-search="[^"]*"><td><a href="rules\/(\w+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(ALL_RULES.filter((r) => matchesQuery(r, 'yaml')).map((r) => r.meta.id));
    expect(shown).toContain('B506');
    expect(html).toContain(`<p id="count" role="status">${shown.length} of ${ALL_RULES.length} rules match</p>`);
    expect(html).toContain('value="YAML"');
  });

  it.each([
    ['b602', ['B602']],
    ['subprocess_popen_with_shell', ['B602']],
    ['no such thing', []],
  ])('matchesQuery %s', (q, ids) => {
    expect(ALL_RULES.filter((r) => matchesQuery(r, q)).map((r) => r.meta.id)).toEqual(ids);
  });

  it('escapes the query it shows back', () => {
    const html = renderRuleIndex(ALL_RULES, '"><script>alert(1)</script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html.match(/<script>/g)).toHaveLength(1);
  });
});
