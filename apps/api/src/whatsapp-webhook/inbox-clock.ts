import { Injectable } from '@nestjs/common';

/**
 * The time the inbox processor decides by (how long it has waited for something). One instance per
 * app: tests replace `now` instead of sleeping.
 */
@Injectable()
export class InboxClock {
  now(): number {
    return Date.now();
  }
}
