import type { Rule } from '../rule.js';
import { codeInjection } from './code-injection.js';
import { commandInjection } from './command-injection.js';
import { crossSiteScripting } from './cross-site-scripting.js';
import { openRedirect } from './open-redirect.js';
import { pathTraversal } from './path-traversal.js';
import { regexInjection } from './regex-injection.js';
import { serverSideRequestForgery } from './server-side-request-forgery.js';
import { serverSideTemplateInjection } from './server-side-template-injection.js';
import { sqlInjection } from './sql-injection.js';
import { untrustedDeserialization } from './untrusted-deserialization.js';

/** PW101-PW110: untrusted data reaching a dangerous call (data flow, src/dataflow/). */
export const taintRules: Rule[] = [
  sqlInjection,
  commandInjection,
  codeInjection,
  pathTraversal,
  serverSideRequestForgery,
  crossSiteScripting,
  serverSideTemplateInjection,
  openRedirect,
  untrustedDeserialization,
  regexInjection,
];
