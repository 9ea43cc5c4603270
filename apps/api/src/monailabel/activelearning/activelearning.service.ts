import { Inject, Injectable } from '@nestjs/common';
import { AiaaError } from '@aiaa/core';
import { Datastore } from '../datastore/datastore';
import { imageInfoOf } from '../datastore/datastore.service';
import { STRATEGIES, unlabeledImages } from './strategies';

/** An unknown strategy name: 404 listing the known ones. */
export class StrategyNotFoundError extends AiaaError {
  constructor(name: string) {
    super('not-found', `strategy '${name}' is unknown (known: ${Object.keys(STRATEGIES).join(', ')})`);
  }
}

/** `POST /activelearning/{strategy}`: the next image to annotate. */
@Injectable()
export class ActiveLearningService {
  constructor(@Inject(Datastore) private readonly datastore: Datastore) {}

  /**
   * `{id, name (with its suffix), path, checksum: "SHA256:…", ts, strategy, …info}` of the image the strategy picks
   * among those without a `final` label, or `{}` when every image has one.
   * @throws StrategyNotFoundError
   */
  async next(strategyName: string): Promise<Record<string, unknown>> {
    const strategy = Object.hasOwn(STRATEGIES, strategyName) ? STRATEGIES[strategyName] : undefined;
    if (!strategy) {
      throw new StrategyNotFoundError(strategyName);
    }
    const image = strategy.pick(unlabeledImages(await this.datastore.list()));
    return image === undefined ? {} : { ...imageInfoOf(image), id: image.id, strategy: strategyName };
  }
}
