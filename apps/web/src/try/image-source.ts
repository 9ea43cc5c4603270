import type { AiaaApi } from '../api/aiaa-api';
import type { Progress } from '../api/http';

/** The image being worked on: its bytes (kept for re-uploads) and the session holding it on the server. */
export interface LoadedImage {
  readonly name: string;
  readonly file: Blob;
}

/**
 * The current input image and its server session. The volume is uploaded once (`PUT /session/`) on the first run and
 * every later run, click after click, names the session; a new image drops the old session, and an expired one (440)
 * is uploaded again.
 */
export class ImageSource {
  #image: LoadedImage | undefined;
  #sessionId: Promise<string> | undefined;

  constructor(private readonly api: AiaaApi) {}

  get image(): LoadedImage | undefined {
    return this.#image;
  }

  /** Fetches a shipped sample. */
  async fromSample(name: string, onDownload: (progress: Progress) => void): Promise<LoadedImage> {
    return this.#use({ name, file: await this.api.sample(name, onDownload) });
  }

  /** Takes a local file. */
  fromFile(file: File): LoadedImage {
    return this.#use({ name: file.name, file });
  }

  /** The session of the current image, uploading it first when there is none. */
  session(onUpload: (progress: Progress) => void): Promise<string> {
    const image = this.#image;
    if (!image) {
      return Promise.reject(new Error('choose an image first'));
    }
    if (!this.#sessionId) {
      const upload = this.api.createSession(image.file, image.name, onUpload);
      this.#sessionId = upload;
      // A failed upload is not kept: the next run tries again.
      upload.catch(() => {
        if (this.#sessionId === upload) {
          this.#sessionId = undefined;
        }
      });
    }
    return this.#sessionId;
  }

  /** Forgets the session (it expired on the server); the next run uploads the image again. */
  dropSession(): void {
    this.#sessionId = undefined;
  }

  #use(image: LoadedImage): LoadedImage {
    this.#image = image;
    this.#sessionId = undefined;
    return image;
  }
}
