/**
 * The city's zones: what a ride costs to start there and how long a pickup
 * usually takes. Shared by pricing (fares, the ETA fallback), maps (ETAs),
 * rider-api (the fare held for a ride) and the warm-up traffic.
 */

/** One zone. */
export interface Zone {
  /** Base fare in cents. */
  baseFareCents: number;
  /** Per minute of pickup time, in cents. */
  perMinuteCents: number;
  /** What maps usually answers; pricing's fallback when maps does not. */
  typicalEtaSeconds: number;
}

/** Every zone, by name. */
export const ZONES: Readonly<Record<string, Zone>> = {
  north: { baseFareCents: 450, perMinuteCents: 40, typicalEtaSeconds: 240 },
  south: { baseFareCents: 400, perMinuteCents: 35, typicalEtaSeconds: 300 },
  east: { baseFareCents: 420, perMinuteCents: 38, typicalEtaSeconds: 270 },
  west: { baseFareCents: 430, perMinuteCents: 36, typicalEtaSeconds: 330 },
  downtown: { baseFareCents: 600, perMinuteCents: 55, typicalEtaSeconds: 180 },
};

/** The zone names, in a fixed order. */
export const ZONE_NAMES: readonly string[] = Object.keys(ZONES);

/** The fare held when a ride is requested: the base fare plus a typical pickup. */
export function holdAmountCents(zone: Zone): number {
  return zone.baseFareCents + Math.round((zone.typicalEtaSeconds / 60) * zone.perMinuteCents) * 3;
}

/** The zone called `name`, if there is one. */
export function zoneNamed(name: string): Zone | undefined {
  return Object.hasOwn(ZONES, name) ? ZONES[name] : undefined;
}
