/**
 * The venue and the on-sale, shared by seat-map (which owns them), the
 * services that read them and the warm-up traffic.
 */

/** Reserved-seating sections and their seats, `1` … `SEATS_PER_SECTION`. */
export const SECTIONS: readonly string[] = ['A', 'B', 'C', 'D'];
export const SEATS_PER_SECTION = 5000;
/** Face value of a reserved seat, by section. */
export const SEAT_PRICE_CENTS: Readonly<Record<string, number>> = { A: 12_000, B: 9_000, C: 6_500, D: 4_500 };

/** General-admission festival passes: one pool each. */
export const FESTIVALS: readonly string[] = ['summer', 'winter', 'spring'];
export const PASSES_PER_FESTIVAL = 1_000_000;
export const PASS_PRICE_CENTS = 8_000;

/** Events pricing quotes. */
export const EVENTS: readonly string[] = ['opera', 'derby', 'finals', 'gala', 'comedy'];

/** The stream a sale puts its ticket job on, and fulfilment's consumer group. */
export const TICKET_STREAM = 'ticket-jobs';
export const FULFILMENT_GROUP = 'fulfilment';
