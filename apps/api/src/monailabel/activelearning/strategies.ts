import { randomInt } from 'node:crypto';
import type { DatastoreImage } from '../datastore/datastore';
import { FINAL_TAG } from '../datastore/datastore.service';

/** A next-sample strategy: picks one image among those not yet labelled `final` (sorted by id). */
export interface Strategy {
  readonly description: string;
  pick(unlabeled: readonly DatastoreImage[]): DatastoreImage | undefined;
}

/** The strategies of `POST /activelearning/{strategy}`, listed by `GET /info/`. */
export const STRATEGIES: Readonly<Record<string, Strategy>> = {
  random: {
    description: 'A random image without a final label',
    pick: (unlabeled) => (unlabeled.length === 0 ? undefined : unlabeled[randomInt(unlabeled.length)]),
  },
  first: {
    description: 'The first image (by id) without a final label',
    pick: (unlabeled) => unlabeled[0],
  },
};

/** The images a strategy chooses from: those without a `final` label. */
export function unlabeledImages(images: readonly DatastoreImage[]): DatastoreImage[] {
  return images.filter((image) => image.labels[FINAL_TAG] === undefined);
}
