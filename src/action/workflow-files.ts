/** The files a step reports through: `$GITHUB_OUTPUT` (step outputs) and `$GITHUB_STEP_SUMMARY` (the job summary). */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

/**
 * `name<<DELIMITER`, the value, `DELIMITER`: the runner's multi-line form, safe for any value. The delimiter
 * is random, so a value cannot contain it and close the entry early to set another output.
 */
export function formatOutputs(outputs: Record<string, string | number>, delimiter = `pyward_${randomUUID()}`): string {
  return Object.entries(outputs)
    .map(([name, value]) => {
      const text = String(value);
      if (text.includes(delimiter)) throw new Error(`output ${name} contains its delimiter`);
      return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
    })
    .join('');
}

export function writeOutputs(file: string | undefined, outputs: Record<string, string | number>): void {
  if (file) appendFileSync(file, formatOutputs(outputs));
}

export function appendSummary(file: string | undefined, markdown: string): void {
  if (file) appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}
