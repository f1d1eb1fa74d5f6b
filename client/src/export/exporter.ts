// The export panel's actions: pictures of what is drawn (SVG made here, PNG rasterised from it,
// optionally with neutral labels) and data files from the API, each saved as a download with a
// status line in the panel.
import * as api from '../api.ts';
import { messageOf } from '../errors.ts';
import { countMarks } from '../graph/diff-marks.ts';
import { shortType } from '../graph/keys.ts';
import type { Loaded } from '../data/view-data.ts';
import { viewTime } from '../state/transitions.ts';
import type { ViewState } from '../state/view-state.ts';
import { download } from '../views/download.ts';
import type { GraphView } from '../views/graph-view.ts';
import { legendEntries } from '../views/legend.ts';
import { pngOfSvg, svgOfView, type PictureMeta } from '../views/svg-from-cy.ts';
import { exportFailureMessage, exportQuery, neutralLabels, pictureAsOf, pictureFileName } from './export-request.ts';

/** What the exporter reads of the explorer when asked. */
export interface ExportContext {
  state(): ViewState;
  loaded(): Loaded | undefined;
  /** The start resource's name, for the picture's title. */
  rootLabel(): string;
  /** Shows a status line in the export panel (and keeps it for when the panel is drawn again). */
  say(message: string): void;
}

export class Exporter {
  constructor(
    private readonly graph: GraphView,
    private readonly context: ExportContext,
  ) {}

  image(kind: 'png' | 'svg', redact: boolean): void {
    const name = pictureFileName(kind, viewTime(this.context.state()), new Date());
    const svg = this.withRedactedLabels(redact, () => svgOfView(this.graph.cy, this.pictureMeta(redact)));
    const saved = () => this.context.say(`Saved the ${kind.toUpperCase()}${redact ? ' (redacted)' : ''}.`);
    if (kind === 'svg') {
      download(new Blob([svg], { type: 'image/svg+xml' }), name);
      saved();
      return;
    }
    // The PNG is the same picture as the SVG (icons, arrowheads, "as of", legend), rasterised.
    this.context.say('Drawing the PNG…');
    pngOfSvg(svg).then(
      (blob) => {
        download(blob, name);
        saved();
      },
      (err: unknown) => this.context.say(`PNG export failed: ${messageOf(err)}`),
    );
  }

  async file(format: api.ExportFormat, whole: boolean, redact: boolean): Promise<void> {
    const loaded = this.context.loaded();
    if (!loaded) return;
    const state = this.context.state();
    const query = exportQuery({
      rootKey: loaded.rootKey,
      depth: state.depth,
      viewTime: viewTime(state),
      whole,
      redact,
    });
    this.context.say(`Exporting ${format}…`);
    try {
      const { blob, filename } = await api.fetchExport(format, query);
      download(blob, filename);
      this.context.say(`Saved ${filename} (${blob.size} bytes).`);
    } catch (err) {
      this.context.say(exportFailureMessage(err, redact));
    }
  }

  /** Swaps labels for neutral ones while `fn` runs, for redacted pictures. */
  private withRedactedLabels<T>(redact: boolean, fn: () => T): T {
    if (!redact) return fn();
    const cy = this.graph.cy;
    const saved = new Map<string, unknown>();
    const labels = neutralLabels(
      cy.nodes().map((n) => ({
        id: n.id(),
        kind: n.hasClass('group')
          ? String(n.data('groupKind'))
          : shortType(String(n.data('resourceType') ?? 'resource')),
      })),
    );
    cy.batch(() =>
      cy.nodes().forEach((n) => {
        saved.set(n.id(), n.data('label'));
        // A counted node's label ("40 instances") names nothing and says it stands for many: it stays.
        if (n.data('count') === undefined) n.data('label', labels.get(n.id()));
      }),
    );
    try {
      return fn();
    } finally {
      cy.batch(() => {
        cy.nodes().forEach((n) => {
          n.data('label', saved.get(n.id()));
        });
      });
    }
  }

  /** What a picture of the view says about itself: its title, the time it shows, and its legend. */
  private pictureMeta(redact: boolean): PictureMeta {
    const resources = this.graph.cy.nodes('.resource');
    const families = new Set<string>();
    resources.forEach((n) => {
      families.add(String(n.data('family') ?? 'other'));
    });
    const marks = this.context.loaded()?.marks;
    const counts = marks
      ? countMarks(
          marks,
          resources.map((n) => n.id()),
        )
      : undefined;
    return {
      title: redact ? 'configgraph view' : `configgraph: ${this.context.rootLabel()}`,
      asOf: pictureAsOf(this.context.state(), new Date()),
      legend: legendEntries(families, counts),
    };
  }
}
