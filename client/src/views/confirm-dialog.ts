// Asks before drawing a large graph: draw it, draw it with WebGL, or leave it undrawn.
import { button, h } from '../dom.ts';
import { probeWebgl } from './webgl-support.ts';

export type LargeChoice = 'draw' | 'webgl' | 'cancel';

export function askLargeGraph(count: number, limit: number): Promise<LargeChoice> {
  const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-title' });
  const choose = (value: LargeChoice) => {
    dialog.close(value);
  };
  const draw = button('Draw anyway', () => choose('draw'));
  // Without a graphics card WebGL is slower than the default drawing: say so where it is offered.
  const here = probeWebgl();
  const webgl = button(
    here === 'software' ? 'Draw with WebGL (slower here: no graphics card)' : 'Draw with WebGL',
    () => choose('webgl'),
  );
  webgl.hidden = here === 'none';
  const cancel = button("Don't draw", () => choose('cancel'), { class: 'primary' });
  dialog.append(
    h('h2', { id: 'confirm-title' }, `Draw ${count} elements?`),
    h(
      'p',
      {},
      `This view has ${count} nodes and edges, more than the ${limit} you asked to be warned about. ` +
        'Large drawings can make the page slow. You can narrow it with filters or a smaller depth instead.',
    ),
    h('div', { class: 'button-row' }, cancel, webgl, draw),
  );
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const v = dialog.returnValue;
      dialog.remove();
      resolve(v === 'draw' || v === 'webgl' ? v : 'cancel');
    });
    dialog.showModal();
    cancel.focus();
  });
}
