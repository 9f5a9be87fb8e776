/** B405–B409, B411: imports of standard-library XML parsers and xmlrpc (defusedxml has safe equivalents). */
import type { RuleDoc } from '../rule.js';
import { blacklistedImport } from './blacklisted-import.js';

const BANDIT = 'https://bandit.readthedocs.io/en/latest/blacklists/blacklist_imports.html';
const DEFUSEDXML = 'https://github.com/tiran/defusedxml#python-xml-libraries';
const XML_VULNS = 'https://docs.python.org/3/library/xml.html#xml-vulnerabilities';
const CWE = 'https://cwe.mitre.org/data/definitions/20.html';
const WHY =
  'The standard-library XML parsers expand entities declared in the document, so crafted XML can exhaust memory and CPU ("billion laughs") and, with some parsers, pull in external entities. The import marks code to check for where its XML comes from; B313–B319 flag the parsing calls.';
const SHARED =
  'Matches `import m`, `import m.sub as x`, `from m import y`, `from m import *` and `__import__("m")` / `importlib.import_module("m")` with a constant name. Names are compared on dotted-name boundaries rather than Bandit\'s plain prefix test; relative imports and imports under `if TYPE_CHECKING:` are not flagged; each statement is reported once per rule.';

function xmlImportDoc(module: string, bad: string, good: string, safe: string, extra?: string): RuleDoc {
  return {
    summary: `Import of ${module}: XML parser vulnerable to entity-expansion attacks on untrusted input`,
    why: WHY,
    bad,
    good,
    fix: `Parse untrusted XML with ${safe}, or call defusedxml.defuse_stdlib() at start-up.`,
    references: [DEFUSEDXML, XML_VULNS, CWE, BANDIT],
    banditDifferences: extra ? `${extra} ${SHARED}` : SHARED,
  };
}

const message = (safe: string) => (names: string[]) =>
  `${names.join(', ')} imported: vulnerable to XML entity-expansion attacks on untrusted input; use ${safe} or call defusedxml.defuse_stdlib()`;

export const xmlEtreeImport = blacklistedImport({
  meta: {
    id: 'B405', name: 'import_xml_etree', severity: 'low', confidence: 'high', cwe: 20,
    doc: xmlImportDoc('xml.etree.ElementTree / cElementTree', 'import xml.etree.ElementTree as ET', 'import defusedxml.ElementTree as ET', 'defusedxml.ElementTree'),
  },
  modules: ['xml.etree.cElementTree', 'xml.etree.ElementTree'],
  message: message('defusedxml.ElementTree'),
});

export const xmlSaxImport = blacklistedImport({
  meta: {
    id: 'B406', name: 'import_xml_sax', severity: 'low', confidence: 'high', cwe: 20,
    doc: xmlImportDoc('xml.sax', 'import xml.sax', 'import defusedxml.sax', 'defusedxml.sax'),
  },
  modules: ['xml.sax'],
  message: message('defusedxml.sax'),
});

export const xmlExpatImport = blacklistedImport({
  meta: {
    id: 'B407', name: 'import_xml_expat', severity: 'low', confidence: 'high', cwe: 20,
    doc: xmlImportDoc('xml.dom.expatbuilder', 'from xml.dom import expatbuilder', 'from defusedxml import expatbuilder', 'defusedxml.expatbuilder'),
  },
  modules: ['xml.dom.expatbuilder'],
  message: message('defusedxml.expatbuilder'),
});

export const xmlMinidomImport = blacklistedImport({
  meta: {
    id: 'B408', name: 'import_xml_minidom', severity: 'low', confidence: 'high', cwe: 20,
    doc: xmlImportDoc('xml.dom.minidom', 'from xml.dom.minidom import parseString', 'from defusedxml.minidom import parseString', 'defusedxml.minidom'),
  },
  modules: ['xml.dom.minidom'],
  message: message('defusedxml.minidom'),
});

export const xmlPulldomImport = blacklistedImport({
  meta: {
    id: 'B409', name: 'import_xml_pulldom', severity: 'low', confidence: 'high', cwe: 20,
    doc: xmlImportDoc('xml.dom.pulldom', 'import xml.dom.pulldom', 'import defusedxml.pulldom', 'defusedxml.pulldom'),
  },
  modules: ['xml.dom.pulldom'],
  message: message('defusedxml.pulldom'),
});

export const xmlrpcImport = blacklistedImport({
  meta: {
    id: 'B411', name: 'import_xmlrpclib', severity: 'high', confidence: 'high', cwe: 20,
    doc: {
      summary: 'Import of xmlrpc (xmlrpclib): XML-RPC parsing is vulnerable to XML attacks',
      why: 'xmlrpc.client and xmlrpc.server parse XML from the other side of the connection with expat, so a malicious server or client can send entity-expansion bombs and, for gzip-encoded bodies, decompression bombs that exhaust memory.',
      bad: 'from xmlrpc.server import SimpleXMLRPCServer',
      good: 'import defusedxml.xmlrpc\ndefusedxml.xmlrpc.monkey_patch()\nfrom xmlrpc.server import SimpleXMLRPCServer  # nosec B411: patched above',
      fix: 'Call defusedxml.xmlrpc.monkey_patch() before using xmlrpc, or switch to a JSON-based API.',
      references: ['https://github.com/tiran/defusedxml#defusedxml-xmlrpc', XML_VULNS, CWE, BANDIT],
      banditDifferences: `Lists the Python 2 names \`xmlrpclib\`, \`SimpleXMLRPCServer\` and \`DocXMLRPCServer\` explicitly (Bandit catches \`xmlrpclib\` only through its prefix test). Does not check whether defusedxml.xmlrpc.monkey_patch() is called (neither does Bandit). ${SHARED}`,
    },
  },
  modules: ['xmlrpc', 'xmlrpclib', 'SimpleXMLRPCServer', 'DocXMLRPCServer'],
  message: (names) => `${names.join(', ')} imported: XML-RPC parsing is vulnerable to XML attacks; call defusedxml.xmlrpc.monkey_patch() first`,
});
