import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './generated/aiaa-api';
import { formDataOf } from './upload-parts';

/** A typed client of every route of the AIAA server: `GET`, `PUT`, `POST`, `DELETE` by path, as openapi-fetch's. */
export type AiaaClient = Client<paths>;

/** How {@link createAiaaClient} reaches the server. */
export interface AiaaClientOptions extends Omit<ClientOptions, 'bodySerializer'> {
  /** The server, e.g. `http://localhost:5000`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`: the server's `--admin_token`, for admin routes from other hosts. */
  readonly adminToken?: string;
}

/**
 * A client of the AIAA server, typed from its OpenAPI document (openapi-fetch): paths, query and path parameters,
 * bodies and replies are checked at compile time. Request bodies are sent as `multipart/form-data` (see
 * {@link formDataOf}), as every upload route takes them; the one JSON body (MONAI Label's
 * `POST /activelearning/{strategy}`) takes `bodySerializer: (body) => JSON.stringify(body)`. A multipart reply is read
 * with `parseAs: 'arrayBuffer'` and `parseMultipartReply`, or `parseAs: 'stream'` and `readMultipartReply(response)`.
 */
export function createAiaaClient(options: AiaaClientOptions): AiaaClient {
  const { adminToken, ...clientOptions } = options;
  const client = createClient<paths>({ ...clientOptions, bodySerializer: formDataOf });
  if (adminToken !== undefined) {
    client.use({
      onRequest: ({ request }) => {
        request.headers.set('Authorization', `Bearer ${adminToken}`);
        return request;
      },
    });
  }
  return client;
}
