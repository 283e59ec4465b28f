/**
 * A proxy definition as Toxiproxy's populate JSON has it. It sits below the
 * stages because the planner writes these (proxy suggestions, populate
 * files) and the runners create them, and neither may import the other.
 */

/** A proxy definition, as in Toxiproxy's populate JSON. */
export interface ProxySpec {
  name: string;
  /** `host:port` to listen on (port 0 lets the server pick). */
  listen: string;
  /** `host:port` to forward to. */
  upstream: string;
  enabled?: boolean;
}
