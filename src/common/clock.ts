import { Injectable } from '@nestjs/common';

/** The only source of "now" in the app, so tests can fix time (the one thing truly outside). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stays where it is set; tests move it explicitly. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.current.getTime());
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
