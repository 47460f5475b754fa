/**
 * @file The playground page: reads the setup from the URL, wires the Train, Explain and Bounds tabs,
 * and writes every change back into the URL so the setup can be shared as a link.
 */
import type { Settings } from './state/settings';
import { settingsFromQuery, settingsToQuery } from './state/url-state';
import { setupBoundsView } from './ui/bounds-view';
import { setupExplainView } from './ui/explain-view';
import { setupTabs } from './ui/tabs';
import { setupTrainView } from './ui/train-view';

let settings: Settings = settingsFromQuery(window.location.search);

function update(next: Partial<Settings>): void {
  settings = { ...settings, ...next };
  const query = settingsToQuery(settings);
  // replaceState, so typing does not fill the history with one entry per keystroke.
  window.history.replaceState(null, '', query === '' ? window.location.pathname : `?${query}`);
}

const train = setupTrainView(settings, update);
setupExplainView(settings, update);
const bounds = setupBoundsView(train);
setupTabs(settings.tab, (tab) => {
  update({ tab });
  if (tab === 'bounds') bounds.redraw();
});
