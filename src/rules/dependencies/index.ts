import type { Rule } from '../rule.js';
import { incompleteHashes } from './incomplete-hashes.js';
import { insecurePackageIndex } from './insecure-package-index.js';
import { possibleTyposquat } from './possible-typosquat.js';
import { unpinnedDependency } from './unpinned-dependency.js';
import { unpinnedVcsDependency } from './unpinned-vcs-dependency.js';

/** PW5xx: dependency hygiene, on dependency files. */
export const dependencyRules: Rule[] = [unpinnedDependency, incompleteHashes, insecurePackageIndex, unpinnedVcsDependency, possibleTyposquat];
