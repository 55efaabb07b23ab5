// `POST /track/v1/trackingnumbers`, FedEx Track API v1 "Track by Tracking Number": up to 30 numbers
// per request, each `{ trackingNumberInfo: { trackingNumber, carrierCode? }, shipDateBegin?,
// shipDateEnd? }`, plus `includeDetailedScans`. The answer lists one completeTrackResult per number
// asked, in order. A request FedEx would refuse as a whole is a 400 with its code (no number:
// TRACKING.TRACKINGNUMBER.EMPTY; more than 30: TRACKING.TRACKINGNUMBERS.LIMITEXCEEDED); a number it
// cannot answer for gets an `error` inside the 200, as FedEx reports them per number:
// TRACKING.TRACKINGNUMBER.INVALID (not a number of that carrier's format),
// TRACKING.TRACKINGNUMBER.NOTFOUND (no such package, or nothing scanned yet), TRACKING.DATA.NOTUNIQUE
// (the number is known to several carriers and no carrierCode says which).
import express from 'express';
import type { Request, Response } from 'express';
import { CARRIERS, type Carrier } from '../seed/reference-data.js';
import { CarrierApiError, customerTransactionId } from './errors.js';
import { planJourney, type Journey } from './journey.js';
import { CARRIER_CODES, FEDEX_CODES, NUMBER_FORMATS } from './network.js';
import type { KnownPackage, PackageIndex } from './shipments.js';
import { trackResult } from './track-response.js';
import { randomUUID } from 'node:crypto';

/** FedEx's limit on tracking numbers per request. */
export const MAX_TRACKING_NUMBERS = 30;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const PER_NUMBER_ERRORS = {
  invalid: {
    code: 'TRACKING.TRACKINGNUMBER.INVALID',
    message: 'Invalid tracking number. Please correct the tracking number format and try again.',
  },
  notFound: {
    code: 'TRACKING.TRACKINGNUMBER.NOTFOUND',
    message: 'Tracking number cannot be found. Please correct the tracking number and try again.',
  },
  notUnique: {
    code: 'TRACKING.DATA.NOTUNIQUE',
    message:
      'A unique match was not found. Please resubmit your request with a FedEx service or enter your FedEx account number.',
  },
} as const;

interface Inquiry {
  trackingNumber: string;
  carrierCode?: string;
  shipDateBegin?: string;
  shipDateEnd?: string;
}

/** The carriers a carrierCode names (FedEx's operating companies all mean FedEx); [] for none. */
function carriersOf(carrierCode: string | undefined): readonly Carrier[] {
  if (carrierCode === undefined) return CARRIERS;
  if ((FEDEX_CODES as readonly string[]).includes(carrierCode)) return ['FEDEX'];
  return CARRIERS.filter((carrier) => CARRIER_CODES[carrier] === carrierCode);
}

function readInquiries(body: unknown): { inquiries: Inquiry[]; detailed: boolean } {
  const request = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const detailed = request.includeDetailedScans;
  if (detailed !== undefined && typeof detailed !== 'boolean') {
    throw new CarrierApiError(
      400,
      'BAD.REQUEST.ERROR',
      'includeDetailedScans must be true or false. Please modify your request and try again.',
    );
  }
  const list = request.trackingInfo;
  if (!Array.isArray(list) || list.length === 0) {
    throw new CarrierApiError(400, 'TRACKING.TRACKINGNUMBER.EMPTY', 'Please provide tracking number.');
  }
  if (list.length > MAX_TRACKING_NUMBERS) {
    throw new CarrierApiError(
      400,
      'TRACKING.TRACKINGNUMBERS.LIMITEXCEEDED',
      'Please limit your inquiry to 30 tracking numbers or references.',
    );
  }
  const inquiries = list.map((entry): Inquiry => {
    const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const info = (
      typeof item.trackingNumberInfo === 'object' && item.trackingNumberInfo !== null ? item.trackingNumberInfo : {}
    ) as Record<string, unknown>;
    const trackingNumber = typeof info.trackingNumber === 'string' ? info.trackingNumber.trim() : '';
    if (trackingNumber === '')
      throw new CarrierApiError(400, 'TRACKING.TRACKINGNUMBER.EMPTY', 'Please provide tracking number.');
    for (const [field, code] of [
      ['shipDateBegin', 'TRACKING.SHIPDATEBEGIN.INVALID'],
      ['shipDateEnd', 'TRACKING.SHIPDATEEND.INVALID'],
    ] as const) {
      const value = item[field];
      if (value !== undefined && (typeof value !== 'string' || !ISO_DATE.test(value))) {
        throw new CarrierApiError(
          400,
          code,
          `Please provide valid ship ${field === 'shipDateBegin' ? 'begin' : 'end'} date.`,
        );
      }
    }
    return {
      trackingNumber,
      ...(typeof info.carrierCode === 'string' && info.carrierCode !== '' && { carrierCode: info.carrierCode }),
      ...(typeof item.shipDateBegin === 'string' && { shipDateBegin: item.shipDateBegin }),
      ...(typeof item.shipDateEnd === 'string' && { shipDateEnd: item.shipDateEnd }),
    };
  });
  return { inquiries, detailed: detailed === true };
}

export function createTrackRouter(options: {
  packages: PackageIndex;
  /** The seed the journeys are drawn from (the dataset's). */
  seed: number;
  now: () => Date;
}): express.Router {
  const { packages, seed } = options;
  // Plans are pure functions of their package: computed once, on first ask.
  const journeys = new Map<KnownPackage, Journey>();
  const journeyOf = (pkg: KnownPackage) => {
    let journey = journeys.get(pkg);
    if (!journey) {
      journey = planJourney({
        seed,
        carrier: pkg.carrier,
        trackingNumber: pkg.trackingNumber,
        shipmentDate: pkg.shipmentDate,
        destination: pkg.destination,
      });
      journeys.set(pkg, journey);
    }
    return journey;
  };

  const answer = (inquiry: Inquiry, now: number, detailed: boolean) => {
    const failed = (error: { code: string; message: string }) => ({
      trackingNumber: inquiry.trackingNumber,
      trackResults: [
        {
          trackingNumberInfo: {
            trackingNumber: inquiry.trackingNumber,
            trackingNumberUniqueId: '',
            carrierCode: inquiry.carrierCode ?? '',
          },
          error: { ...error },
        },
      ],
    });
    const carriers = carriersOf(inquiry.carrierCode);
    if (!carriers.some((carrier) => NUMBER_FORMATS[carrier].test(inquiry.trackingNumber)))
      return { found: false, result: failed(PER_NUMBER_ERRORS.invalid) };
    const candidates = packages
      .byNumber(inquiry.trackingNumber)
      .filter((pkg) => carriers.includes(pkg.carrier))
      .filter((pkg) => (inquiry.shipDateBegin ? pkg.shipmentDate >= inquiry.shipDateBegin : true))
      .filter((pkg) => (inquiry.shipDateEnd ? pkg.shipmentDate <= inquiry.shipDateEnd : true));
    if (candidates.length > 1) return { found: false, result: failed(PER_NUMBER_ERRORS.notUnique) };
    const pkg = candidates[0];
    const result = pkg ? trackResult(pkg, journeyOf(pkg), now, detailed) : null;
    if (!result) return { found: false, result: failed(PER_NUMBER_ERRORS.notFound) };
    return { found: true, result: { trackingNumber: inquiry.trackingNumber, trackResults: [result] } };
  };

  const router = express.Router();
  router.post('/track/v1/trackingnumbers', express.json({ limit: '256kb' }), (req: Request, res: Response) => {
    const { inquiries, detailed } = readInquiries(req.body);
    const now = options.now().getTime();
    const answers = inquiries.map((inquiry) => answer(inquiry, now, detailed));
    // Numbers asked and answered: what a batching test reads from /__emulator/stats.
    res.locals.rowCounts = { returned: answers.filter((a) => a.found).length, scanned: inquiries.length };
    const echoed = customerTransactionId(req);
    res.json({
      transactionId: randomUUID(),
      ...(echoed ? { customerTransactionId: echoed } : {}),
      output: { completeTrackResults: answers.map((a) => a.result) },
    });
  });
  return router;
}
