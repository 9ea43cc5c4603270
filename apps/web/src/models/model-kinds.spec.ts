import { engineOf } from './engine';
import { kindOf } from './model-kinds';

describe('kindOf', () => {
  it.each([
    ['segmentation', 'segmentation', 'none', 0],
    ['annotation', 'dextr3d', 'extreme-points', 6],
    ['deepgrow', 'deepgrow', 'foreground-background', 1],
    ['pipeline', 'deepgrow', 'foreground-background', 1],
    ['classification', 'inference', 'none', 0],
    ['others', 'inference', 'none', 0],
  ])('runs a %s model on /v1/%s with %s clicks (at least %d)', (type, endpoint, clicks, minClicks) => {
    expect(kindOf({ type })).toMatchObject({ endpoint, clicks, minClicks });
  });
});

describe('engineOf', () => {
  const model = { name: 'm', type: 'segmentation', labels: [], description: '', version: '1' };
  const health = (engine: string) => ({ status: 'ok' as const, engine });

  it("takes the registry's engine when the admin list is readable", () => {
    const admin = {
      name: 'm',
      type: 'segmentation',
      version: '1',
      engine: 'native',
      sizeBytes: 1,
      updatedAt: '',
      loaded: true,
    };
    expect(engineOf(model, health('AIAA'), admin)).toBe('native');
  });

  it('says TRITON for a model with a Triton state, else the in-process engine of the server', () => {
    expect(engineOf({ ...model, triton: { state: 'READY' } }, health('TRITON'), undefined)).toBe('TRITON');
    expect(engineOf(model, health('TRITON'), undefined)).toBe('native');
    expect(engineOf(model, health('AIAA'), undefined)).toBe('AIAA');
    expect(engineOf(model, undefined, undefined)).toBe('?');
  });
});
