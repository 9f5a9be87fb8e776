/** B313–B319: standard-library XML parsers used on possibly untrusted XML (defusedxml has safe equivalents). */
import type { RuleDoc } from '../rule.js';
import { advice, blacklistedCall } from './blacklisted-call.js';

const WHY =
  'The standard-library XML parsers expand entities declared in the document. A crafted document can exhaust memory and CPU ("billion laughs", quadratic blowup) and, depending on the parser, make the program fetch external entities or DTDs (reading local files or reaching internal hosts). Any XML that comes from a request, an upload or a third party is a denial-of-service or data-exposure vector.';
const DEFUSEDXML = 'https://github.com/tiran/defusedxml#python-xml-libraries';
const XML_VULNS = 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities';
const CWE = 'https://cwe.mitre.org/data/definitions/20.html';
const RESOLVED = 'Names are resolved, so `import xml.etree.ElementTree as ET`, `from ... import parse as p` and variables bound to the function are followed, and `defusedxml` functions and project functions of the same name are not flagged.';

function xmlDoc(d: { module: string; bad: string; good: string; safe: string; extra?: string; bandit: string }): RuleDoc {
  return {
    summary: `${d.module} parsing: vulnerable to entity-expansion attacks on untrusted XML`,
    why: WHY,
    bad: d.bad,
    good: d.good,
    fix: `Parse untrusted XML with ${d.safe}, or call defusedxml.defuse_stdlib() once at start-up.`,
    references: [DEFUSEDXML, XML_VULNS, CWE, d.bandit],
    banditDifferences: d.extra ? `${d.extra} ${RESOLVED}` : RESOLVED,
  };
}

const message = (safe: string) => (q: string) => `${q}() is vulnerable to XML entity-expansion attacks on untrusted input; use ${safe} or call defusedxml.defuse_stdlib()`;
const fixAdvice = (safe: string) => advice(`Replace with ${safe} (same API, entity expansion and external references refused).`);
const ETREE_FUNCTIONS = ['parse', 'iterparse', 'fromstring', 'XMLParser', 'XML', 'fromstringlist'];
const ETREE_EXTRA = 'Also flags `XML()` and `fromstringlist()`, which parse like `fromstring()` but are missing from Bandit\'s list.';
const BANDIT = 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_calls.html#b313-b320-xml';

export const xmlCElementTreeCall = blacklistedCall({
  meta: {
    id: 'B313', name: 'xml_bad_cElementTree', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.etree.cElementTree',
      bad: 'import xml.etree.cElementTree as ET\n\nroot = ET.fromstring(request.body)',
      good: 'import defusedxml.ElementTree as ET\n\nroot = ET.fromstring(request.body)',
      safe: 'defusedxml.ElementTree (cElementTree was removed in Python 3.9)',
      extra: ETREE_EXTRA,
      bandit: BANDIT,
    }),
  },
  qualnames: ETREE_FUNCTIONS.map((f) => `xml.etree.cElementTree.${f}`),
  message: message('defusedxml.ElementTree'),
  fix: fixAdvice('the defusedxml.ElementTree function of the same name'),
});

export const xmlElementTreeCall = blacklistedCall({
  meta: {
    id: 'B314', name: 'xml_bad_ElementTree', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.etree.ElementTree',
      bad: 'from xml.etree import ElementTree\n\ntree = ElementTree.parse(uploaded_file)',
      good: 'from defusedxml import ElementTree\n\ntree = ElementTree.parse(uploaded_file)',
      safe: 'defusedxml.ElementTree',
      extra: ETREE_EXTRA,
      bandit: BANDIT,
    }),
  },
  qualnames: ETREE_FUNCTIONS.map((f) => `xml.etree.ElementTree.${f}`),
  message: message('defusedxml.ElementTree'),
  fix: fixAdvice('the defusedxml.ElementTree function of the same name'),
});

export const xmlExpatReaderCall = blacklistedCall({
  meta: {
    id: 'B315', name: 'xml_bad_expatreader', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.sax.expatreader',
      bad: 'from xml.sax import expatreader\n\nparser = expatreader.create_parser()\nparser.parse(feed)',
      good: 'from defusedxml import expatreader\n\nparser = expatreader.create_parser()\nparser.parse(feed)',
      safe: 'defusedxml.expatreader.create_parser',
      bandit: BANDIT,
    }),
  },
  qualnames: ['xml.sax.expatreader.create_parser'],
  message: message('defusedxml.expatreader.create_parser()'),
  fix: fixAdvice('defusedxml.expatreader.create_parser()'),
});

export const xmlExpatBuilderCall = blacklistedCall({
  meta: {
    id: 'B316', name: 'xml_bad_expatbuilder', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.dom.expatbuilder',
      bad: 'from xml.dom import expatbuilder\n\ndocument = expatbuilder.parseString(payload)',
      good: 'from defusedxml import expatbuilder\n\ndocument = expatbuilder.parseString(payload)',
      safe: 'defusedxml.expatbuilder',
      bandit: BANDIT,
    }),
  },
  qualnames: ['xml.dom.expatbuilder.parse', 'xml.dom.expatbuilder.parseString'],
  message: message('defusedxml.expatbuilder'),
  fix: fixAdvice('the defusedxml.expatbuilder function of the same name'),
});

export const xmlSaxCall = blacklistedCall({
  meta: {
    id: 'B317', name: 'xml_bad_sax', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.sax',
      bad: 'import xml.sax\n\nxml.sax.parseString(payload, handler)',
      good: 'import defusedxml.sax\n\ndefusedxml.sax.parseString(payload, handler)',
      safe: 'defusedxml.sax',
      bandit: BANDIT,
    }),
  },
  qualnames: ['xml.sax.parse', 'xml.sax.parseString', 'xml.sax.make_parser'],
  message: message('defusedxml.sax'),
  fix: fixAdvice('the defusedxml.sax function of the same name'),
});

export const xmlMinidomCall = blacklistedCall({
  meta: {
    id: 'B318', name: 'xml_bad_minidom', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.dom.minidom',
      bad: 'from xml.dom import minidom\n\ndocument = minidom.parseString(request.data)',
      good: 'from defusedxml import minidom\n\ndocument = minidom.parseString(request.data)',
      safe: 'defusedxml.minidom',
      bandit: BANDIT,
    }),
  },
  qualnames: ['xml.dom.minidom.parse', 'xml.dom.minidom.parseString'],
  message: message('defusedxml.minidom'),
  fix: fixAdvice('the defusedxml.minidom function of the same name'),
});

export const xmlPulldomCall = blacklistedCall({
  meta: {
    id: 'B319', name: 'xml_bad_pulldom', severity: 'medium', confidence: 'high', cwe: 20,
    doc: xmlDoc({
      module: 'xml.dom.pulldom',
      bad: 'from xml.dom import pulldom\n\nevents = pulldom.parseString(payload)',
      good: 'from defusedxml import pulldom\n\nevents = pulldom.parseString(payload)',
      safe: 'defusedxml.pulldom',
      bandit: BANDIT,
    }),
  },
  qualnames: ['xml.dom.pulldom.parse', 'xml.dom.pulldom.parseString'],
  message: message('defusedxml.pulldom'),
  fix: fixAdvice('the defusedxml.pulldom function of the same name'),
});
