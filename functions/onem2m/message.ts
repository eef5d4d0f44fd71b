/**
 * A request as the transport received it, before any oneM2M parsing.
 *
 * Both the local HTTP server and the Lambda handler build one of these and
 * hand it to the request pipeline, so the oneM2M behaviour does not depend
 * on where the registrar runs.
 */
export interface HttpRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The path exactly as received, still percent-encoded, without query. */
  readonly path: string;
  /** The query string without the leading `?`; empty when there is none. */
  readonly query: string;
  /** Header values by lower-case name; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact body bytes, or `undefined` when the request had no body. */
  readonly body: Uint8Array | undefined;
}

/** A response ready for the transport to send. */
export interface HttpResponse {
  readonly status: number;
  /** Header values by name, in the case they should be sent. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (always JSON here), or `undefined` for none. */
  readonly body: string | undefined;
}
