const MINUTE = 60_000;

/**
 * The calendar a CronJob's schedule is read in under the engine's time scale. From the
 * CronJob's creation on, schedule time runs 1/scale times as fast as the wall clock, so at
 * SKIFF_TIME_SCALE=0.1 a `*\/1 * * * *` CronJob fires every 6 s. At scale 1 both are the same.
 * Stored times (`lastScheduleTime`, the scheduled-timestamp annotation) stay wall-clock times, so
 * kubectl's ages read right; they are mapped to schedule time and back.
 */
export class CronCalendar {
  constructor(
    private readonly origin: number,
    private readonly scale: number,
  ) {}

  /** Schedule time at wall time `wall`. */
  fromWall(wall: number): number {
    return this.scale === 1 ? wall : this.origin + (wall - this.origin) / this.scale;
  }

  /** Wall time at schedule time `t`. */
  toWall(t: number): number {
    return this.scale === 1 ? t : this.origin + (t - this.origin) * this.scale;
  }

  /**
   * The schedule time a stored (whole-second) wall time of a run stands for. A run's schedule
   * time is a whole minute; rounding its wall time down to the second moved it back by less than
   * 1 s / scale, which is under a minute while scale ≥ 1/60 — rounding up to the minute undoes it.
   */
  storedRun(wall: number): number {
    const t = this.fromWall(wall);
    return this.scale === 1 ? t : Math.ceil(t / MINUTE) * MINUTE;
  }
}
