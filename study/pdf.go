package study

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// ChromiumPath finds a Chromium or Chrome to print the report with, or "".
func ChromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// ErrNoChromium says how to get a PDF without Chromium.
var ErrNoChromium = fmt.Errorf("no Chromium or Chrome found to print the PDF: install it (Debian/Ubuntu: apt-get install chromium), or open report.html in any browser and print it to PDF (A4; the report has its print layout)")

// PrintPDF prints the HTML report at html to pdf through headless Chromium, with the
// report's own A4 layout and page numbers (no browser header or footer).
func PrintPDF(html, pdf string) error {
	bin := ChromiumPath()
	if bin == "" {
		return ErrNoChromium
	}
	abs, err := filepath.Abs(html)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "ersim-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	tmp := pdf + ".tmp"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--no-pdf-header-footer", "--print-to-pdf="+tmp, "file://"+abs)
	if out, err := cmd.CombinedOutput(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("chromium could not print %s: %v: %s", html, err, out)
	}
	if st, err := os.Stat(tmp); err != nil || st.Size() == 0 {
		os.Remove(tmp)
		return fmt.Errorf("chromium wrote no PDF for %s", html)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, pdf)
}
