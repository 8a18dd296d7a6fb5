import { pageText } from './bench/decode.mjs';
await import('qualys-cs');
const { ANSWER_READERS } = await import('./pkg/answer_readers.js');
const { text } = pageText(50);
const bytes = new TextEncoder().encode(text);
const td = new TextDecoder();
const read = ANSWER_READERS.registrySchedulePage;
const N = 4000;
for (let r = 0; r < 5; r++) {
  let t = performance.now(); for (let i = 0; i < N; i++) JSON.parse(td.decode(bytes)); const a = (performance.now() - t) / N * 1000;
  t = performance.now(); for (let i = 0; i < N; i++) read(bytes); const b = (performance.now() - t) / N * 1000;
  console.log('parse', a.toFixed(1), 'reader', b.toFixed(1), 'walk', (b - a).toFixed(1));
}
