import { ClickPoints } from './click-points';

describe('ClickPoints', () => {
  it('splits deepgrow clicks into foreground and background lists of [x, y, z]', () => {
    const clicks = new ClickPoints('foreground-background');
    clicks.add([10, 20, 3], false);
    clicks.add([11, 21, 4], true);
    clicks.add([12, 22, 5], false);
    expect(clicks.params()).toEqual({
      foreground: [
        [10, 20, 3],
        [12, 22, 5],
      ],
      background: [[11, 21, 4]],
    });
  });

  it('sends extreme points in click order, never as background', () => {
    const clicks = new ClickPoints('extreme-points');
    clicks.add([1, 2, 3], true);
    clicks.add([4, 5, 6], false);
    expect(clicks.points.map((p) => p.background)).toEqual([false, false]);
    expect(clicks.params()).toEqual({
      points: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
  });

  it('removes and clears clicks', () => {
    const clicks = new ClickPoints('extreme-points');
    clicks.add([1, 1, 1], false);
    clicks.add([2, 2, 2], false);
    clicks.remove(0);
    expect(clicks.params()).toEqual({ points: [[2, 2, 2]] });
    clicks.clear();
    expect(clicks.points).toEqual([]);
  });

  it('takes no clicks for a model without interaction and sends empty params', () => {
    const clicks = new ClickPoints('none');
    expect(clicks.add([1, 1, 1], false)).toBe(false);
    expect(clicks.params()).toEqual({});
  });
});
