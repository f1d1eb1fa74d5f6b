// The view state in the address bar: read on load and on Back/Forward, written on every change
// (a new entry for navigation, the same entry for tweaks), so a copied link reproduces the view.
import { isNavigation } from './transitions.ts';
import { parseViewState, serialiseViewState, type ViewState } from './view-state.ts';

export function readAddress(): ViewState {
  return parseViewState(location.search);
}

export function writeAddress(before: ViewState, next: ViewState): void {
  const url = `${location.pathname}${serialiseViewState(next)}`;
  if (isNavigation(before, next)) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
