import type { CorpusGate, ResolvedConfig } from './config.js';
import type { ReportFile } from './types.js';

/** A gate measured over a run. */
export interface GateResult extends CorpusGate {
  /** Documents with at least one finding of the rule. */
  flagged: number;
  documents: number;
  rate: number;
  passed: boolean;
  /** False when the rule is not switched on in this run (the gate then measures nothing). */
  active: boolean;
}

/** Measure every configured gate: share of documents with at least one finding of the gate's rule. */
export function measureGates(files: ReportFile[], config: ResolvedConfig): GateResult[] {
  const active = new Set(config.rules.map((rule) => rule.rule.meta.id));
  return config.gates.map((gate) => {
    const flagged = files.filter((file) => file.messages.some((message) => message.ruleId === gate.rule)).length;
    const rate = files.length === 0 ? 0 : flagged / files.length;
    return { ...gate, flagged, documents: files.length, rate, passed: rate <= gate.maxDocumentRate, active: active.has(gate.rule) };
  });
}

const percent = (rate: number) => `${(rate * 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** One line per gate: measured rate against the limit, and whether it passed. */
export function formatGates(results: GateResult[]): string {
  return results
    .map((gate) => {
      const measured = `${gate.rule}: ${gate.flagged} of ${gate.documents} documents (${percent(gate.rate)}), limit ${percent(gate.maxDocumentRate)}`;
      if (!gate.active) return `corpus gate skipped: ${gate.rule} is not switched on\n`;
      return `corpus gate ${gate.passed ? 'passed' : 'FAILED'}: ${measured}\n`;
    })
    .join('');
}
