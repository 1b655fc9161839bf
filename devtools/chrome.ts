// The part of the chrome.devtools API the extension uses, typed here rather than with all of
// @types/chrome: extension pages of a devtools_page get `chrome.devtools` as a global.

/** What `inspectedWindow.eval` passes when the expression threw or could not be evaluated. */
export interface EvalException {
  readonly isError?: boolean;
  readonly isException?: boolean;
  readonly code?: string;
  /** A format string: each `%s` stands for the next of `details`. */
  readonly description?: string;
  readonly details?: readonly unknown[];
  readonly value?: string;
}

interface ChromeEvent<Listener> {
  addListener(listener: Listener): void;
}

export interface ExtensionPanel {
  /** With the panel page's window, each time the user shows the panel. */
  readonly onShown: ChromeEvent<(panelWindow: Window) => void>;
  readonly onHidden: ChromeEvent<() => void>;
}

interface DevtoolsApi {
  readonly inspectedWindow: {
    eval(
      expression: string,
      callback: (result: unknown, exception: EvalException | undefined) => void,
    ): void;
  };
  readonly panels: {
    /** 'dark' when DevTools use their dark theme. */
    readonly themeName: string;
    /** Calls `handler` with the new theme name each time DevTools change theme. */
    setThemeChangeHandler(handler: (themeName: string) => void): void;
    create(
      title: string,
      iconPath: string,
      pagePath: string,
      callback: (panel: ExtensionPanel) => void,
    ): void;
  };
  readonly network: {
    /** With the new URL, after the inspected page navigated (or reloaded). */
    readonly onNavigated: ChromeEvent<(url: string) => void>;
  };
}

export const devtools = (globalThis as unknown as { chrome: { devtools: DevtoolsApi } }).chrome
  .devtools;
