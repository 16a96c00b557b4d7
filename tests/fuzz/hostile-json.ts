import fc from 'fast-check'

/** Keys that break naive code: prototype names, the protocol's own keys, odd unicode. */
export const hostileKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'USED_AGENT_ID',
    'packet_type',
    'subject_id',
    'update_id',
    'files',
    '',
    '\uD800',
    'a\uDFFFb',
  ),
  fc.string({ maxLength: 8 }),
)

/** Strings with lone surrogates, control characters, and the odd long one. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.constantFrom('\uD800', '\uDBFF\uDBFF', 'x\uDC00', '\u0000', '\u2028\u2029'),
  fc.nat({ max: 3000 }).map((length) => 'x'.repeat(length)),
)

/** Numbers JSON can carry but code may not expect. */
export const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 53 + 1, -(2 ** 53) - 1, 1e308, -1e308, 5e-324),
)

/** Any JSON-like value, with the hostile leaves above, up to a modest depth. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 4 }),
  ),
})).value

/** `[[[…]]]` text (or objects), `depth` levels deep: what JSON.stringify cannot take. */
export function deepText(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

/** A value to put inside a body or packet, as JSON text: ordinary, hostile, or far too deep. */
export const hostileValueText = fc.oneof(
  { weight: 4, arbitrary: hostileValue.map((value) => JSON.stringify(value) ?? 'null') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 60, max: 30_000 }),
        fc.constantFrom<'array' | 'object'>('array', 'object'),
      )
      .map(([depth, kind]) => deepText(depth, kind)),
  },
  { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890') },
)

/** An object's JSON text whose keys are `fields` (or hostile ones), and values hostile. */
export function objectText(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const known = Object.entries(fields).map(([key, value]) =>
    fc.option(
      value.map((text) => `${JSON.stringify(key)}:${text}`),
      { nil: undefined },
    ),
  )
  const extra = fc.array(
    fc.tuple(hostileKey, hostileValueText).map(([key, text]) => `${JSON.stringify(key)}:${text}`),
    { maxLength: 2 },
  )
  return fc
    .tuple(fc.tuple(...known), extra)
    .map(
      ([entries, more]) =>
        `{${[...entries.filter((entry) => entry !== undefined), ...more].join(',')}}`,
    )
}

/** Breaks well-formed text now and then: cut short, a byte changed, wrapped in an array. */
export function mutated(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: text },
    {
      weight: 1,
      arbitrary: fc
        .tuple(text, fc.nat())
        .map(([value, at]) => value.slice(0, at % (value.length + 1))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(text, fc.nat(), fc.constantFrom('"', '{', '}', ',', '\\', '\u0000', ']'))
        .map(([value, at, char]) => {
          const index = at % (value.length + 1)
          return value.slice(0, index) + char + value.slice(index + 1)
        }),
    },
    { weight: 1, arbitrary: text.map((value) => `[${value}]`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '"text"', '42', 'true') },
  )
}
