import { randomUUID } from 'node:crypto';

/** Adds authentication headers to a request before it is sent. */
export type RequestSigner = (request: {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}) => Promise<Record<string, string>>;

/** One oneM2M request, as the suite writes it. */
export interface OneM2mRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The target path, e.g. `/cse-in` or `/~/id-in/Cabc`. */
  readonly path: string;
  /** `X-M2M-Origin`; left out when undefined. */
  readonly origin?: string;
  /** Resource type for a Create: `ty` in Content-Type. */
  readonly ty?: number;
  readonly body?: unknown;
  /** Extra or overriding headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A oneM2M response: HTTP status, `X-M2M-RSC`, headers and JSON body. */
export interface OneM2mResponse {
  readonly status: number;
  readonly rsc: number | undefined;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read by tests
  readonly body: any;
}

/**
 * Sends oneM2M requests over HTTP to a registrar at a base URL.
 *
 * The base URL may carry a path prefix (the emulator's
 * `/_aws/execute-api/<id>/$default`); target paths are appended to it.
 * With a signer, every request is signed just before it is sent.
 */
export class OneM2mClient {
  readonly #baseUrl: () => string;
  readonly #signer: RequestSigner | undefined;

  public constructor(baseUrl: () => string, signer?: RequestSigner) {
    this.#baseUrl = baseUrl;
    this.#signer = signer;
  }

  /** Sends `request` with a fresh `X-M2M-RI` and release version 4. */
  public async send(request: OneM2mRequest): Promise<OneM2mResponse> {
    const url = this.#baseUrl().replace(/\/$/, '') + request.path;
    const body =
      request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      'X-M2M-RI': randomUUID(),
      'X-M2M-RVI': '4',
      Accept: 'application/json',
      ...(request.origin === undefined
        ? {}
        : { 'X-M2M-Origin': request.origin }),
      ...(body === undefined
        ? {}
        : {
            'Content-Type':
              request.ty === undefined
                ? 'application/json'
                : `application/json;ty=${request.ty}`,
          }),
      ...request.headers,
    };
    const signed = this.#signer
      ? await this.#signer({ method: request.method, url, headers, body })
      : {};
    const response = await fetch(url, {
      method: request.method,
      headers: { ...headers, ...signed },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const rsc = response.headers.get('x-m2m-rsc');
    return {
      status: response.status,
      rsc: rsc === null ? undefined : Number(rsc),
      headers: response.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
  }
}
