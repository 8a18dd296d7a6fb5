// Writes answer_readers.js into the package being built: one reader function per object of
// each answer shape the wasm module exports (`answerShapes()`, from src/model/shape.rs),
// for pkg-template/answer.js to run. Generated rather than interpreted at run time:
// reading fields by name from the shape in a loop cost a page of schedules twice what
// named fields in object literals cost (issue 5).
//
//   node scripts/answer-readers.mjs <package folder>
//
// The folder holds the freshly built glue and wasm; the module is loaded to ask it for
// its shapes, so the readers always match the Rust types of the same build.

import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The source of answer_readers.js for `shapes` (`{ name: shape }`). */
export function readersSource(shapes) {
  const out = [];
  const helpers = new Set();
  const use = (name) => {
    helpers.add(name);
    return name;
  };
  let constants = 0;
  const constant = (prefix, text) => {
    constants += 1;
    const name = `${prefix}_${constants}`;
    out.push(`const ${name} = ${text};`);
    return name;
  };

  // The expression that reads `value` (at `depth`) as `shape`; `name` names any function
  // it needs.
  function expression(shape, value, depth, name) {
    switch (shape.kind) {
      case 'string':
      case 'optionalString':
      case 'flag':
      case 'timestamp':
      case 'optionalU32':
        return `${use(shape.kind)}(${value})`;
      case 'json':
        return `${use('json')}(${value}, ${depth})`;
      case 'optionalEnum': {
        const values = constant('VALUES', `new Set(${JSON.stringify(shape.values)})`);
        return `${use('optionalEnum')}(${values}, ${value})`;
      }
      case 'list':
        return `${listReader(shape.item, `${name}List`, `${name}Item`)}(${value}, ${depth})`;
      case 'object':
        return `${reader(shape, name)}(${value}, ${depth})`;
      default:
        throw new Error(`answer-readers: no reader for a shape of kind ${shape.kind}`);
    }
  }

  // The line that leaves `value` to the module unless it is an object (or when `also`
  // holds). Written out in each reader, not called: as a call, with its loop over the
  // aliases, the check was a fifth of reading a page (issue 5's decoding figure).
  const notAnObject = (also) => `  if (${['value === null', "typeof value !== 'object'",
    'Array.isArray(value)', ...(also ? [also] : [])].join(' || ')}) throw ${use('UNSURE')};`;

  // Writes the function `name(value, depth)` that reads a list of `item` shapes (`null`
  // reads as `[]`): the parsed array itself when every item read as the very value it
  // was, else a new one. One such loop per list, not one shared loop given the item's
  // reader, so that each loop calls one reader the engine can inline (issue 5).
  function listReader(item, name, itemName) {
    const read = reader(item, itemName);
    out.push([
      `function ${name}(value, depth) {`,
      '  if (value === null || value === undefined) return [];',
      `  if (!Array.isArray(value) || depth >= ${use('MAX_DEPTH')}) throw ${use('UNSURE')};`,
      '  const inner = depth + 1;',
      '  let items = null;',
      '  for (let i = 0; i < value.length; i += 1) {',
      `    const item = ${read}(value[i], inner);`,
      '    if (items !== null) {',
      '      items.push(item);',
      '    } else if (item !== value[i]) {',
      '      // The first item that changed: the ones before it are kept as they were.',
      '      items = value.slice(0, i);',
      '      items.push(item);',
      '    }',
      '  }',
      '  return items ?? value;',
      '}',
    ].join('\n'));
    return name;
  }

  // Writes the function `name(value, depth)` that reads `shape`; returns its name.
  function reader(shape, name) {
    if (shape.kind !== 'object') {
      const body = expression(shape, 'value', 'depth', name);
      out.push(`function ${name}(value, depth) {\n  return ${body};\n}`);
      return name;
    }
    const fields = shape.fields;
    for (const field of fields) looked.add(field.name);
    const aliases = fields.flatMap((field) => field.aliases ?? []);
    const names = constant('FIELDS', JSON.stringify(fields.map((field) => field.name)));
    const known = constant('KNOWN', aliases.length > 0
      ? `new Set([...${names}, ...${constant('ALIASES', JSON.stringify(aliases))}])`
      : `new Set(${names})`);
    const at = (field) => `value[${JSON.stringify(field.name)}]`;
    const part = (field) => `${name}${field.name[0].toUpperCase()}${field.name.slice(1)}`;
    // Each field is read into a local, in the field order of the Rust type.
    const reads = fields.map((field, index) =>
      `  const field${index} = ${expression(field.shape, at(field), 'inner', part(field))};`);
    // When the parsed object already is the result (every field there, read as it was,
    // no other key, in the Rust type's order) it is returned as it is: fewer new objects
    // took 3-5% off reading a large page. `Object.is` keeps a parsed `-0`, which the
    // module writes as `0`, from being taken as the same; a field left out when null
    // must not be there as null.
    const same = fields.map((field, index) => (field.omitNull
      ? `field${index} !== null && Object.is(field${index}, ${at(field)})`
      : `Object.is(field${index}, ${at(field)})`));
    const reuse = fields.length > 0
      ? [`  if (${[...same, `${use('hasExactly')}(value, ${names})`].join(' && ')}) return value;`]
      : [];
    // Otherwise a new object in that order, as its JSON would have it: a literal with
    // named fields is what the engine builds fastest.
    const kept = fields.flatMap((field, index) => (field.omitNull ? []
      : [`    ${JSON.stringify(field.name)}: field${index},`]));
    const omitted = fields.flatMap((field, index) => (field.omitNull
      ? [`  if (field${index} !== null) result[${JSON.stringify(field.name)}] = field${index};`]
      : []));
    const present = fields.map((field) => `(${at(field)} !== undefined)`).join(' + ');
    const usesInner = reads.some((line) => line.includes('inner'));
    out.push([
      `function ${name}(value, depth) {`,
      ...(shape.nullable ? ['  if (value === null || value === undefined) return null;'] : []),
      notAnObject(`depth >= ${use('MAX_DEPTH')}`),
      // An answer that spells a field another way is left to the module, which also
      // refuses one that spells it two ways.
      ...aliases.map((alias) => `  if (Object.hasOwn(value, ${JSON.stringify(alias)})) throw ${use('UNSURE')};`),
      ...(usesInner ? ['  const inner = depth + 1;'] : []),
      ...reads,
      ...reuse,
      kept.length > 0 ? ['  const result = {', ...kept, '  };'].join('\n') : '  const result = {};',
      ...omitted,
      `  if (Object.keys(value).length !== ${present}) {`,
      `    ${use('unknownFields')}(value, ${known}, depth);`,
      '  }',
      '  return result;',
      '}',
    ].join('\n'));
    return name;
  }

  // Every field name a reader looks up, for `readAnswer`'s check of `Object.prototype`.
  const looked = new Set(['data', 'count']);
  const exported = [];
  for (const [answer, shape] of Object.entries(shapes)) {
    if (shape.kind !== 'page') {
      throw new Error(`answer-readers: the answer ${answer} is not a page`);
    }
    const name = `read${answer[0].toUpperCase()}${answer.slice(1)}`;
    const data = listReader(shape.item, `${name}Data`, `${name}Item`);
    const known = constant('KNOWN', 'new Set(["data", "count"])');
    out.push([
      `function ${name}(value) {`,
      notAnObject(),
      // A page without `data` (an error body sent with a 2xx status, say) is no page: the
      // module refuses it, naming the field.
      `  if (value.data === undefined) throw ${use('UNSURE')};`,
      `  const data = ${data}(value.data, 1);`,
      `  const result = { data, count: ${use('count')}(value.count, data.length) };`,
      '  if (Object.keys(value).length !== (value.data !== undefined) + (value.count !== undefined)) {',
      `    ${use('unknownFields')}(value, ${known}, 0);`,
      '  }',
      '  return result;',
      '}',
    ].join('\n'));
    exported.push({ answer, name });
  }
  const lookedUp = constant('LOOKED_UP', JSON.stringify([...looked]));

  return [
    '// Generated by scripts/answer-readers.mjs from the wasm module\'s answer shapes',
    '// (src/model/shape.rs) when the package is built; pkg-template/answer.js says why.',
    `import { readAnswer, ${[...helpers].sort().join(', ')} } from './answer.js';`,
    '',
    ...out.flatMap((item) => [item, '']),
    '/** A reader for each answer the package reads itself: bytes in, value or undefined out. */',
    'export const ANSWER_READERS = Object.freeze({',
    ...exported.map(({ answer, name }) =>
      `  ${answer}: (bytes) => readAnswer(bytes, ${name}, ${lookedUp}),`),
    '});',
    '',
  ].join('\n');
}

async function main() {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: node scripts/answer-readers.mjs <package folder>');
    process.exit(2);
  }
  const glue = await import(pathToFileURL(resolve(folder, 'qualys_cs.js')).href);
  glue.initSync({ module: readFileSync(join(folder, 'qualys_cs_bg.wasm')) });
  const source = readersSource(JSON.parse(glue.answerShapes()));
  writeFileSync(join(folder, 'answer_readers.js'), source);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
