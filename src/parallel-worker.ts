import type { ResolvedConfig } from './config.js';
import { lintDocument, type DocumentResult } from './engine.js';
import { fromWorkerConfig, type WorkerConfig, type WorkerTask } from './parallel.js';

let cached: { source: WorkerConfig; config: ResolvedConfig } | undefined;

/** Worker entry (tinypool): the first pass over one batch of documents; results keep no document text. */
export default function lintBatch(task: WorkerTask): DocumentResult[] {
  // One run sends the same config with every task; compare by content, not identity (it is a clone each time).
  if (!cached || JSON.stringify(cached.source) !== JSON.stringify(task.config)) {
    cached = { source: task.config, config: fromWorkerConfig(task.config) };
  }
  const config = cached.config;
  return task.documents.map((document, offset) => lintDocument(document, task.firstIndex + offset, config));
}
