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
  private readonly from = h('input', {
    type: 'text',
    id: 'compare-from',
    class: 'time-input',
    placeholder: '2026-03-01T00:00:00Z',
    spellcheck: 'false',
  });
  private readonly to = h('input', {
    type: 'text',
    id: 'compare-to',
    class: 'time-input',
    placeholder: '2026-03-02T00:00:00Z',
    spellcheck: 'false',
  });
  private readonly apply = h('button', { type: 'button', id: 'compare-apply' }, 'Compare');
  private readonly compareFields = h('span', { class: 'compare-fields', hidden: true });
  private readonly error = h('span', { class: 'field-error', role: 'alert' });

  constructor(private readonly actions: TimeBarActions) {
    this.compareFields.append(
      h('label', { for: 'compare-from' }, 'from'),
      this.from,
      h('label', { for: 'compare-to' }, 'to'),
      this.to,
      this.apply,
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
    // A useful default: from the change before the view's time to the view's time.
    const toMs = this.at ? Date.parse(this.at) : Math.max(this.range.max, Date.now());
    const prev =
      adjacentMoment(this.range, this.at ? toMs : (this.range.moments[this.range.moments.length - 1] ?? toMs), -1) ??
      this.range.min;
    if (!this.from.value) this.from.value = new Date(prev).toISOString();
    if (!this.to.value) this.to.value = new Date(toMs).toISOString();
    this.from.focus();
  }

  private applyCompare(): void {
    const from = normaliseTime(this.from.value.trim());
    const to = normaliseTime(this.to.value.trim());
    if (!from || !to) {
      this.error.textContent = 'Enter both times as ISO-8601 with a zone, e.g. 2026-03-01T12:00:00Z';
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
      this.from.value = compare.from;
      this.to.value = compare.to;
    }
    // In compare mode the two times rule; the slider would only confuse.
    for (const el of [this.slider, this.prev, this.next, this.now]) el.disabled = compare !== undefined;
  }
}
