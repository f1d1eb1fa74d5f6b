// The "as of" slider for the whole view, with steps to the previous/next known change, and the
// compare switch with its two times.
import { h } from '../dom.ts';
import { formatTime } from '../time/format.ts';
import { adjacentMoment, SLIDER_STEPS, sliderToTime, timeToSlider, type TimeRange } from '../time/time-range.ts';
import { normaliseTime } from '../state/view-state.ts';

export interface TimeBarActions {
  setAt(at: string | undefined): void;
  setCompare(range: { from: string; to: string } | undefined): void;
}

export class TimeBar {
  readonly root: HTMLElement;
  private range: TimeRange = { min: 0, max: 1, moments: [] };
  private at: string | undefined;
  private readonly slider = h('input', {
    type: 'range',
    id: 'as-of',
    min: 0,
    max: SLIDER_STEPS,
    step: 1,
    value: SLIDER_STEPS,
    list: 'as-of-ticks',
  });
  private readonly ticks = h('datalist', { id: 'as-of-ticks' });
  private readonly readout = h('output', { for: 'as-of', class: 'as-of-readout', 'aria-live': 'polite' }, 'now');
  private readonly prev = h(
    'button',
    { type: 'button', 'aria-label': 'Previous change', title: 'Previous change' },
    '◀',
  );
  private readonly next = h('button', { type: 'button', 'aria-label': 'Next change', title: 'Next change' }, '▶');
  private readonly now = h('button', { type: 'button' }, 'Now');
  private readonly compare = h('input', { type: 'checkbox', id: 'compare' });
  // Date-time pickers in UTC (the zone is stated beside them); the history list can fill them too.
  private readonly from = h('input', { type: 'datetime-local', id: 'compare-from', class: 'time-input', step: 1 });
  private readonly to = h('input', { type: 'datetime-local', id: 'compare-to', class: 'time-input', step: 1 });
  private readonly apply = h('button', { type: 'button', id: 'compare-apply' }, 'Compare');
  private readonly compareFields = h('span', { class: 'compare-fields', hidden: true });
  private readonly error = h('span', { class: 'field-error', role: 'alert' });

  constructor(private readonly actions: TimeBarActions) {
    this.compareFields.append(
      h('label', { for: 'compare-from' }, 'from'),
      this.from,
      h('label', { for: 'compare-to' }, 'to'),
      this.to,
      h('span', { class: 'zone-note' }, 'UTC'),
      this.apply,
      h('span', { class: 'zone-note' }, 'or pick versions in History'),
    );
    this.root = h(
      'div',
      { class: 'time-bar', role: 'group', 'aria-label': 'Time' },
      h('label', { for: 'as-of' }, 'As of'),
      this.prev,
      this.slider,
      this.ticks,
      this.next,
      this.readout,
      this.now,
      h('label', { class: 'check compare-toggle' }, this.compare, ' Compare two times'),
      this.compareFields,
      this.error,
    );
    this.slider.addEventListener('input', () => (this.readout.textContent = this.describe(this.sliderTime())));
    this.slider.addEventListener('change', () => this.actions.setAt(this.sliderTime()));
    this.now.addEventListener('click', () => this.actions.setAt(undefined));
    this.prev.addEventListener('click', () => this.step(-1));
    this.next.addEventListener('click', () => this.step(1));
    this.compare.addEventListener('change', () => this.toggleCompare());
    this.apply.addEventListener('click', () => this.applyCompare());
    for (const input of [this.from, this.to])
      input.addEventListener('keydown', (e) => e.key === 'Enter' && this.applyCompare());
  }

  private sliderTime(): string | undefined {
    const v = Number(this.slider.value);
    return v >= SLIDER_STEPS ? undefined : new Date(sliderToTime(this.range, v)).toISOString();
  }

  private describe(at: string | undefined): string {
    return at ? formatTime(at) : 'now (latest)';
  }

  private step(direction: -1 | 1): void {
    const current = this.at ? Date.parse(this.at) : this.range.max + 1;
    const m = adjacentMoment(this.range, current, direction);
    if (m === undefined) {
      if (direction > 0) this.actions.setAt(undefined);
      return;
    }
    // Stepping forward past the last change lands on "now".
    const last = this.range.moments[this.range.moments.length - 1];
    this.actions.setAt(direction > 0 && m === last ? undefined : new Date(m).toISOString());
  }

  private toggleCompare(): void {
    if (!this.compare.checked) {
      this.compareFields.hidden = true;
      this.actions.setCompare(undefined);
      return;
    }
    this.compareFields.hidden = false;
    // A useful default: "to" is the view's time, or else the latest capture (not the wall clock);
    // "from" is the change before it.
    const latest = this.range.moments[this.range.moments.length - 1] ?? this.range.max;
    const toMs = this.at ? Date.parse(this.at) : latest;
    const prev = adjacentMoment(this.range, toMs, -1) ?? this.range.min;
    if (!this.from.value) this.from.value = toPickerValue(new Date(prev).toISOString());
    if (!this.to.value) this.to.value = toPickerValue(new Date(toMs).toISOString());
    this.from.focus();
  }

  private applyCompare(): void {
    const from = fromPickerValue(this.from.value);
    const to = fromPickerValue(this.to.value);
    if (!from || !to) {
      this.error.textContent = 'Choose both times (UTC), or pick two versions in the History tab.';
      return;
    }
    this.error.textContent = '';
    this.actions.setCompare(from <= to ? { from, to } : { from: to, to: from });
  }

  update(range: TimeRange, at: string | undefined, compare: { from: string; to: string } | undefined): void {
    this.range = range;
    this.at = at;
    // The range's ends, readable by scripts and tests that want to set an exact time.
    this.slider.dataset['min'] = new Date(range.min).toISOString();
    this.slider.dataset['max'] = new Date(range.max).toISOString();
    const ticks = range.moments.map((m) => h('option', { value: timeToSlider(range, m) }));
    this.ticks.replaceChildren(...ticks);
    this.slider.value = String(at ? Math.min(timeToSlider(range, Date.parse(at)), SLIDER_STEPS - 1) : SLIDER_STEPS);
    this.slider.setAttribute('aria-valuetext', this.describe(at));
    this.readout.textContent = this.describe(at);
    this.compare.checked = compare !== undefined;
    this.compareFields.hidden = compare === undefined;
    if (compare) {
      this.from.value = toPickerValue(compare.from);
      this.to.value = toPickerValue(compare.to);
    }
    // In compare mode the two times rule; the slider would only confuse.
    for (const el of [this.slider, this.prev, this.next, this.now]) el.disabled = compare !== undefined;
  }
}

/** An ISO time as a `datetime-local` value in UTC, to the second (the picker states the zone). */
export function toPickerValue(iso: string): string {
  return iso.slice(0, 19);
}

/** A `datetime-local` value read as UTC; undefined when empty or malformed. */
export function fromPickerValue(value: string): string | undefined {
  const v = value.trim();
  return v ? normaliseTime(`${v.length === 16 ? `${v}:00` : v}Z`) : undefined;
}
