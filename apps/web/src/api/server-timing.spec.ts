import { parseServerTiming } from './server-timing';

describe('parseServerTiming', () => {
  it('reads the stages the inference endpoints send, in order, in milliseconds', () => {
    const header =
      'upload;dur=11.4, read;dur=87.4, pre_transforms;dur=163.4, inference;dur=1436.2, post_transforms;dur=84.7, ' +
      'writer;dur=25.2, total;dur=1819.5';
    const timings = parseServerTiming(header);
    expect(timings.map((t) => t.name)).toEqual([
      'upload',
      'read',
      'pre_transforms',
      'inference',
      'post_transforms',
      'writer',
      'total',
    ]);
    expect(timings[3]).toEqual({ name: 'inference', durationMs: 1436.2 });
  });

  it('keeps a metric without a duration (the session cache hit) and unquotes descriptions', () => {
    expect(parseServerTiming('total;dur=5, cache;desc=hit, db;desc="slow disk";dur=2')).toEqual([
      { name: 'total', durationMs: 5 },
      { name: 'cache', description: 'hit' },
      { name: 'db', durationMs: 2, description: 'slow disk' },
    ]);
  });

  it('answers nothing for a missing or empty header, and ignores a duration that is not a number', () => {
    expect(parseServerTiming(null)).toEqual([]);
    expect(parseServerTiming('  ')).toEqual([]);
    expect(parseServerTiming('x;dur=abc')).toEqual([{ name: 'x' }]);
  });
});
