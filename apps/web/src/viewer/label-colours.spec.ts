import { countLabels, labelColour, labelName, labelTable } from './label-colours';

describe('label colours', () => {
  it('names values after the model labels, foreground for a model without labels', () => {
    expect(labelName(1, ['body', 'bone'])).toBe('body');
    expect(labelName(2, ['body', 'bone'])).toBe('bone');
    expect(labelName(3, ['body', 'bone'])).toBe('label 3');
    expect(labelName(1, [])).toBe('foreground');
  });

  it('builds a niivue table with a transparent background and one colour per value', () => {
    const table = labelTable(2, ['body', 'bone']);
    expect(table.I).toEqual([0, 1, 2]);
    expect(table.A).toEqual([0, 255, 255]);
    expect(table.labels).toEqual(['background', 'body', 'bone']);
    expect([table.R[1], table.G[1], table.B[1]]).toEqual([...labelColour(1)]);
    expect(labelColour(9)).toEqual(labelColour(1));
  });

  it('counts voxels per value', () => {
    expect(countLabels(new Uint8Array([0, 1, 1, 0, 3]))).toEqual([2, 2, 0, 1]);
    expect(countLabels(new Float32Array([])).length).toBe(0);
  });
});
