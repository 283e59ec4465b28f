/**
 * The clinic's fixed data, shared by the services that own it, the warm-up
 * traffic and the tests.
 */

/** Registered patients `p-1` … `p-PATIENTS` (patient-chart owns them). */
export const PATIENTS = 200;
export const patientId = (n: number) => `p-${n}`;
export const patientName = (n: number) => `Patient ${n}`;

/** Bookable slots `s-1` … `s-SLOTS`, each with `SLOT_CAPACITY` places (appt-core owns them). */
export const SLOTS = 40;
export const SLOT_CAPACITY = 100_000;
export const slotId = (n: number) => `s-${n}`;

/** Rooms a patient can be called to on the waiting-room board. */
export const ROOMS: readonly string[] = ['r1', 'r2', 'r3', 'r4'];

/** Allergy values the desk records (one per patient, replaced on each save). */
export const ALLERGENS: readonly string[] = ['penicillin', 'latex', 'peanuts', 'sulfa', 'aspirin'];

/** The Redis list the desk puts board calls on, and the relay's in-flight list. */
export const BOARD_EVENTS = 'board-events';
export const BOARD_WORKING = 'board-events:working';
export const BOARD_SEQ = 'board:seq';
