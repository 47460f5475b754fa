/**
 * @file The three tabs, following the WAI-ARIA tabs pattern: click or arrow keys (Home/End too) move
 * between them, and only the selected tab is in the Tab order.
 */
import { TABS, type Tab } from '../state/settings';
import { byId } from './dom';

/**
 * Wires the tab buttons; `onSelect` hears every change.
 * @example const select = setupTabs('train', (tab) => update({ tab }));
 */
export function setupTabs(initial: Tab, onSelect: (tab: Tab) => void): (tab: Tab) => void {
  const buttons = TABS.map((tab) => byId(`tab-${tab}`, HTMLButtonElement));
  const select = (tab: Tab, focus = false) => {
    TABS.forEach((name, i) => {
      const button = buttons[i] as HTMLButtonElement;
      const selected = name === tab;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      byId(`panel-${name}`, HTMLElement).hidden = !selected;
      if (selected && focus) button.focus();
    });
    onSelect(tab);
  };
  buttons.forEach((button, i) => {
    button.addEventListener('click', () => select(TABS[i] as Tab));
    button.addEventListener('keydown', (event) => {
      const moves: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 };
      const target = moves[event.key];
      if (target === undefined) return;
      event.preventDefault();
      select(TABS[(target + TABS.length) % TABS.length] as Tab, true);
    });
  });
  select(initial);
  return (tab) => select(tab);
}
