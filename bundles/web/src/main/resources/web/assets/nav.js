// Navigation for pages, provided by the shell (kept apart so that pages do not import the shell).

const impl = {navigate: () => {}, workspace: () => null};

export function navigate(path, options) {
  impl.navigate(path, options);
}

export function currentWorkspace() {
  return impl.workspace();
}

export function provideNavigation(navigateFn, workspaceFn) {
  impl.navigate = navigateFn;
  impl.workspace = workspaceFn;
}
