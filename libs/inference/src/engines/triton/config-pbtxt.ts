import { ConfigError } from '@aiaa/core';
import { type FieldSpec, type MessageSchema, MODEL_CONFIG_SCHEMA } from './triton-config-schema';

/**
 * Protobuf text format for Triton's config.pbtxt, driven by the schema of model_config.proto: `render` writes a checked
 * config JSON in Triton's documented layout (fields in schema order, repeated messages as `input [ { … } ]`,
 * dims as `dims: [ 1, 96 ]`, enums bare); `parse` reads the text format back into the same JSON shape.
 */
export function renderPbtxt(message: Readonly<Record<string, unknown>>): string {
  return renderMessage(message, MODEL_CONFIG_SCHEMA, '').join('\n') + '\n';
}

function renderMessage(message: Readonly<Record<string, unknown>>, schema: MessageSchema, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, spec] of Object.entries(schema)) {
    const value = message[key];
    if (value === undefined || value === null) {
      continue;
    }
    if (spec.kind === 'map') {
      for (const [entryKey, entry] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        lines.push(`${indent}${key} {`, `${indent}  key: ${quote(entryKey)}`, `${indent}  value {`);
        lines.push(...renderMessage(entry, spec.value, `${indent}    `), `${indent}  }`, `${indent}}`);
      }
    } else if (spec.kind === 'message') {
      if (spec.repeated === true) {
        const items = value as Record<string, unknown>[];
        lines.push(`${indent}${key} [`);
        items.forEach((item, i) => {
          lines.push(`${indent}  {`, ...renderMessage(item, spec.schema, `${indent}    `));
          lines.push(`${indent}  }${i < items.length - 1 ? ',' : ''}`);
        });
        lines.push(`${indent}]`);
      } else {
        lines.push(`${indent}${key} {`, ...renderMessage(value as Record<string, unknown>, spec.schema, `${indent}  `));
        lines.push(`${indent}}`);
      }
    } else if (spec.kind !== 'enum' && spec.repeated === true) {
      const items = (value as unknown[]).map((item) => renderScalar(item, spec.kind));
      lines.push(`${indent}${key}: [ ${items.join(', ')} ]`);
    } else {
      lines.push(`${indent}${key}: ${renderScalar(value, spec.kind)}`);
    }
  }
  return lines;
}

function renderScalar(value: unknown, kind: 'string' | 'int' | 'bool' | 'enum'): string {
  return kind === 'string' ? quote(String(value)) : String(value);
}

function quote(text: string): string {
  return JSON.stringify(text);
}

interface Token {
  readonly text: string;
  readonly line: number;
  readonly quoted: boolean;
}

const TOKEN = /\s+|#[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[{}[\]:,;<>]|[A-Za-z0-9_.+-]+|./gy;

function tokenize(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const first = raw[0] ?? '';
    if (/\s/.test(first) || first === '#') {
      line += raw.split('\n').length - 1;
      continue;
    }
    if (first === '"' || first === "'") {
      const body = raw.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
      tokens.push({ text: body, line, quoted: true });
    } else if (/^[{}[\]:,;<>]$|^[A-Za-z0-9_.+-]+$/.test(raw)) {
      tokens.push({ text: raw, line, quoted: false });
    } else {
      throw new ConfigError(`${file}:${line}`, `unexpected character ${JSON.stringify(raw)}`);
    }
  }
  return tokens;
}

type Raw = Token | RawMessage | Raw[];
interface RawMessage {
  readonly fields: [Token, Raw][];
}

/**
 * Parses Triton's text format (`config.pbtxt`) into model config JSON. `file` names the source in errors, which
 * carry the line: ConfigError for a syntax error, an unknown field, or a value of the wrong kind.
 */
export function parsePbtxt(text: string, file = 'config.pbtxt'): Record<string, unknown> {
  const tokens = tokenize(text, file);
  let pos = 0;
  const fail = (detail: string): never => {
    const line = tokens[Math.min(pos, tokens.length - 1)]?.line ?? 1;
    throw new ConfigError(`${file}:${line}`, detail);
  };
  const next = (): Token => tokens[pos++] ?? fail('unexpected end of file');
  const peek = (): string | undefined => (tokens[pos]?.quoted === true ? undefined : tokens[pos]?.text);
  const parseMessage = (close: string | undefined): RawMessage => {
    const fields: [Token, Raw][] = [];
    while (pos < tokens.length && peek() !== close) {
      const name = next();
      if (name.quoted || !/^[A-Za-z_]\w*$/.test(name.text)) {
        fail(`expected a field name, got ${JSON.stringify(name.text)}`);
      }
      if (peek() === ':') {
        pos++;
      }
      fields.push([name, parseValue()]);
      if (peek() === ',' || peek() === ';') {
        pos++;
      }
    }
    if (close !== undefined) {
      if (pos >= tokens.length) {
        fail(`missing '${close}'`);
      }
      pos++;
    }
    return { fields };
  };
  const parseValue = (): Raw => {
    const open = peek();
    if (open === '{' || open === '<') {
      pos++;
      return parseMessage(open === '{' ? '}' : '>');
    }
    if (open === '[') {
      pos++;
      const items: Raw[] = [];
      while (peek() !== ']') {
        items.push(parseValue());
        if (peek() === ',') {
          pos++;
        } else if (peek() !== ']') {
          fail(`expected ',' or ']' in a list`);
        }
      }
      pos++;
      return items;
    }
    const token = next();
    if (!token.quoted && /^[{}[\]:,;<>]$/.test(token.text)) {
      fail(`expected a value, got '${token.text}'`);
    }
    return token;
  };
  const root = parseMessage(undefined);
  return convertMessage(root, MODEL_CONFIG_SCHEMA, file);
}

function convertMessage(raw: RawMessage, schema: MessageSchema, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of raw.fields) {
    const spec = schema[name.text];
    const where = `${file}:${name.line}`;
    if (spec === undefined) {
      throw new ConfigError(
        where,
        `'${name.text}' is not a supported field (expected one of ${Object.keys(schema).join(', ')})`,
      );
    }
    const items = Array.isArray(value) ? value : [value];
    if (spec.kind === 'map') {
      const map = (out[name.text] ?? {}) as Record<string, unknown>;
      for (const item of items) {
        const entry = convertMessage(
          asMessage(item, where),
          { key: { kind: 'string' }, value: { kind: 'message', schema: spec.value } },
          file,
        );
        map[String(entry['key'])] = entry['value'] ?? {};
      }
      out[name.text] = map;
    } else if (isRepeated(spec)) {
      const list = (out[name.text] ?? []) as unknown[];
      list.push(...items.map((item) => convertSingle(item, spec, where, file)));
      out[name.text] = list;
    } else if (Array.isArray(value)) {
      throw new ConfigError(where, `'${name.text}' takes one value, got a list`);
    } else {
      out[name.text] = convertSingle(value, spec, where, file);
    }
  }
  return out;
}

function isRepeated(spec: FieldSpec): boolean {
  return spec.kind !== 'enum' && spec.kind !== 'map' && spec.repeated === true;
}

function asMessage(raw: Raw, where: string): RawMessage {
  if (Array.isArray(raw) || !('fields' in raw)) {
    throw new ConfigError(where, 'expected a { … } message');
  }
  return raw;
}

function convertSingle(raw: Raw, spec: Exclude<FieldSpec, { kind: 'map' }>, where: string, file: string): unknown {
  if (spec.kind === 'message') {
    return convertMessage(asMessage(raw, where), spec.schema, file);
  }
  if (Array.isArray(raw) || !('text' in raw)) {
    throw new ConfigError(where, `expected a ${spec.kind} value`);
  }
  switch (spec.kind) {
    case 'string':
      if (!raw.quoted) {
        throw new ConfigError(where, `expected a quoted string, got ${raw.text}`);
      }
      return raw.text;
    case 'int': {
      const number = Number(raw.text);
      if (raw.quoted || !Number.isSafeInteger(number)) {
        throw new ConfigError(where, `expected an integer, got ${raw.text}`);
      }
      return number;
    }
    case 'bool':
      if (raw.quoted || (raw.text !== 'true' && raw.text !== 'false')) {
        throw new ConfigError(where, `expected true or false, got ${raw.text}`);
      }
      return raw.text === 'true';
    case 'enum':
      if (raw.quoted || !spec.values.includes(raw.text)) {
        throw new ConfigError(where, `expected one of ${spec.values.join(', ')}, got ${raw.text}`);
      }
      return raw.text;
  }
}
