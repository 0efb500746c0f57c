// Chart text is set in DejaVu Sans (fontconfig). Without it librsvg falls back to another face
// or draws boxes, so the install step checks for it and, as root on Debian/Ubuntu, installs it.
import { execFileSync } from 'node:child_process';

function hasDejaVu() {
  try {
    return execFileSync('fc-match', ['DejaVu Sans'], { encoding: 'utf8' }).includes('DejaVuSans');
  } catch {
    return false;
  }
}

if (!hasDejaVu()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasApt = false;
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    hasApt = true;
  } catch {}
  if (isRoot && hasApt) {
    console.error('spendbrief: installing fonts-dejavu-core for chart text (apt-get)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync(
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', 'fontconfig', 'fonts-dejavu-core'],
      { stdio: 'inherit', env },
    );
  } else {
    console.error(
      'spendbrief: the font DejaVu Sans is missing, chart text will not render. Install it: ' +
        'sudo apt-get install fonts-dejavu-core (Debian/Ubuntu), dnf install dejavu-sans-fonts (Fedora), brew install --cask font-dejavu (macOS).',
    );
  }
}
