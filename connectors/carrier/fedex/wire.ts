// The parts of a FedEx Track API answer the connector reads (TrackingNumbersResponse in FedEx's
// reference; everything else is ignored). Lenient where FedEx is: fields a package may lack are
// optional, and strings FedEx sends empty ("") are accepted as such.
import { z } from 'zod';

const Address = z.object({
  city: z.string().optional(),
  stateOrProvinceCode: z.string().optional(),
  countryCode: z.string().optional(),
});

export const ScanEvent = z.object({
  date: z.string(),
  eventType: z.string().optional(),
  eventDescription: z.string().optional(),
  exceptionDescription: z.string().optional(),
  scanLocation: Address.optional(),
  derivedStatusCode: z.string().optional(),
});
export type ScanEvent = z.infer<typeof ScanEvent>;

const DateAndTime = z.object({ type: z.string(), dateTime: z.string() });

export const TrackResult = z.object({
  trackingNumberInfo: z.object({ trackingNumber: z.string(), carrierCode: z.string().optional() }).optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
  latestStatusDetail: z
    .object({
      code: z.string().optional(),
      derivedCode: z.string().optional(),
      description: z.string().optional(),
      scanLocation: Address.optional(),
    })
    .optional(),
  dateAndTimes: z.array(DateAndTime).optional(),
  estimatedDeliveryTimeWindow: z
    .object({ window: z.object({ begins: z.string().optional(), ends: z.string().optional() }).optional() })
    .optional(),
  scanEvents: z.array(ScanEvent).optional(),
});
export type TrackResult = z.infer<typeof TrackResult>;

export const TrackResponse = z.object({
  output: z.object({
    completeTrackResults: z.array(z.object({ trackingNumber: z.string(), trackResults: z.array(TrackResult) })),
  }),
});
export type TrackResponse = z.infer<typeof TrackResponse>;
