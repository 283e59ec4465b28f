/**
 * The Notifier seam and its Slack adapter: posts a digest to an incoming
 * webhook with @slack/webhook's IncomingWebhook. Retries and the outbox live
 * in src/sweeps/digest-outbox.ts so a failed post never fails a sweep.
 */
import { IncomingWebhook, type IncomingWebhookSendArguments } from '@slack/webhook';
import type { DigestPayload } from './digest.js';
import { fail } from '../../base/errors.js';

/** Delivers digests somewhere people read them. */
export interface Notifier {
  readonly describe: string;
  /** Throws BACKEND_UNAVAILABLE / BACKEND_RESPONSE when the post did not land. */
  deliver(payload: DigestPayload): Promise<void>;
}

/** Slack incoming webhook. */
export class SlackNotifier implements Notifier {
  readonly describe: string;
  private readonly webhook: IncomingWebhook;

  constructor(url: string) {
    // Only scheme and host in `describe`: the path of a webhook URL is its secret.
    this.describe = `slack ${new URL(url).origin}`;
    // No defaults: IncomingWebhook merges them into the posted JSON body.
    this.webhook = new IncomingWebhook(url);
  }

  async deliver(payload: DigestPayload): Promise<void> {
    try {
      await this.webhook.send(payload as unknown as IncomingWebhookSendArguments);
    } catch (err) {
      // @slack/webhook wraps axios errors: an HTTP answer carries `original.response`.
      const status = (err as { original?: { response?: { status?: number } } }).original?.response?.status;
      throw status
        ? fail('BACKEND_RESPONSE', `Slack webhook answered HTTP ${status}`, { status }, err)
        : fail('BACKEND_UNAVAILABLE', `Slack webhook unreachable: ${(err as Error).message}`, undefined, err);
    }
  }
}
