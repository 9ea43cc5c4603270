import { readVersions } from './model-versions';

describe('readVersions', () => {
  it('reads an array of versions with active flags, newest first', () => {
    const reply = [
      { version: 1, active: false, createdAt: '2026-01-01T00:00:00Z' },
      { version: 2, active: true, createdAt: '2026-02-01T00:00:00Z' },
    ];
    expect(readVersions(reply, '2')).toEqual([
      { version: 2, active: true, createdAt: '2026-02-01T00:00:00Z' },
      { version: 1, active: false, createdAt: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('reads {versions, active} and marks the active one by number when entries carry no flag', () => {
    expect(readVersions({ versions: [{ version: '1' }, { version: 3 }], active: 1 }, '3')).toEqual([
      { version: 3, active: false },
      { version: 1, active: true },
    ]);
  });

  it("falls back to the model's listed version when the reply names no active one", () => {
    expect(readVersions([{ version: 4 }, { version: 5 }], '4').map((r) => r.active)).toEqual([false, true]);
  });

  it('drops entries without a whole version number and reads other shapes as no versions', () => {
    expect(readVersions([{ version: 'x' }, { version: 1.5 }, null, { version: 2 }], '2')).toEqual([
      { version: 2, active: true },
    ]);
    expect(readVersions({ message: 'x' }, '1')).toEqual([]);
    expect(readVersions('nope', '1')).toEqual([]);
  });
});
