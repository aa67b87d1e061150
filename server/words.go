package server

// words are the front end's fixed words in one language.
type words struct {
	Language, Library, Shipped, Name, TitleCol, Workspace, WorkspaceNote, File, NoFiles string
	Runs, Run, Status, NoRuns, Invalid, Valid, StartRun, Reps, ChartLang, Check, TOML   string
	Validate, Warning, Progress, Cancel, Reload, Headline, Metric, Variant, Mean, Diff  string
	Files, Charts, ErrorTitle, Back, Running, CI                                        string
}

var texts = map[string]words{
	"en": {Language: "Language", Library: "Scenarios and runs", Shipped: "Shipped scenarios", Name: "Name", TitleCol: "Title",
		Workspace: "Your scenarios", WorkspaceNote: "TOML files in the workspace directory:", File: "File",
		NoFiles: "None yet: put a scenario file in the workspace (ersim init my.toml writes one).",
		Runs:    "Runs", Run: "Run", Status: "Status", NoRuns: "None yet.", Invalid: "The scenario is not valid:",
		Valid: "The scenario is valid.", StartRun: "Run it", Reps: "Replications", ChartLang: "Language of the charts and report",
		Check: "Check a scenario", TOML: "Scenario (TOML)", Validate: "Check", Warning: "Warning", Progress: "Progress",
		Cancel: "Cancel", Reload: "The page updates itself; it also shows the results when the run is done.",
		Headline: "Headline results", Metric: "Metric", Variant: "Variant", Mean: "Mean", Diff: "Difference from the baseline",
		Files: "Files", Charts: "Charts", ErrorTitle: "Something is not right", Back: "Back to the scenarios", Running: "running", CI: "95 % CI"},
	"sv": {Language: "Språk", Library: "Scenarier och körningar", Shipped: "Medföljande scenarier", Name: "Namn", TitleCol: "Titel",
		Workspace: "Dina scenarier", WorkspaceNote: "TOML-filer i arbetskatalogen:", File: "Fil",
		NoFiles: "Inga ännu: lägg en scenariofil i arbetskatalogen (ersim init mitt.toml skriver en).",
		Runs:    "Körningar", Run: "Kör", Status: "Status", NoRuns: "Inga ännu.", Invalid: "Scenariot är inte giltigt:",
		Valid: "Scenariot är giltigt.", StartRun: "Kör det", Reps: "Replikeringar", ChartLang: "Språk i diagram och rapport",
		Check: "Kontrollera ett scenario", TOML: "Scenario (TOML)", Validate: "Kontrollera", Warning: "Varning", Progress: "Förlopp",
		Cancel: "Avbryt", Reload: "Sidan uppdaterar sig själv och visar resultaten när körningen är klar.",
		Headline: "Huvudresultat", Metric: "Mått", Variant: "Variant", Mean: "Medelvärde", Diff: "Skillnad mot basalternativet",
		Files: "Filer", Charts: "Diagram", ErrorTitle: "Något är fel", Back: "Tillbaka till scenarierna", Running: "pågår", CI: "95 % KI"},
}
