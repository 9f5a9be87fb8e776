/** Outgoing HTTP: requests, httpx, urllib, urllib3, aiohttp's client. Only the URL is a sink, never `params=`. */
import type { FlowModel } from './types.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

export const httpClientsModel: FlowModel = {
  name: 'HTTP clients (requests, httpx, urllib, urllib3, aiohttp)',
  sinks: [
    { rule: 'PW105', qnames: VERBS.filter((v) => v !== 'request').flatMap((v) => [`requests.${v}`, `httpx.${v}`, `requests.Session().${v}`, `httpx.Client().${v}`, `httpx.AsyncClient().${v}`, `aiohttp.ClientSession().${v}`]), args: [0, 'url'], description: '`requests.get(url)`, `httpx.get(url)`, sessions and clients' },
    { rule: 'PW105', qnames: ['requests.request', 'httpx.request', 'requests.Session().request', 'httpx.Client().request', 'httpx.AsyncClient().request', 'aiohttp.ClientSession().request', 'urllib3.PoolManager().request', 'urllib3.request', 'httpx.stream', 'httpx.Client().stream'], args: [1, 'url'], description: '`requests.request(method, url)`' },
    { rule: 'PW105', qnames: ['urllib.request.urlopen', 'urllib.request.Request', 'urllib.urlopen', 'urllib2.urlopen', 'urllib2.Request', 'urllib.request.urlretrieve', 'six.moves.urllib.request.urlopen'], args: [0, 'url'], description: '`urllib.request.urlopen(url)`' },
    { rule: 'PW105', qnames: ['http.client.HTTPConnection', 'http.client.HTTPSConnection'], args: [0, 'host'], description: '`http.client.HTTPConnection(host)`' },
  ],
  passThrough: [
    { qnames: ['urllib.parse.urljoin', 'urllib.parse.urlunparse', 'urllib.parse.urlunsplit', 'urllib.parse.urlparse', 'urllib.parse.urlsplit', 'urllib.parse.parse_qs', 'urllib.parse.parse_qsl', 'urllib.parse.unquote', 'urllib.parse.unquote_plus'], description: '`urllib.parse` builds and splits URLs from their arguments' },
  ],
};
