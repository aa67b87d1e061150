package server

// words are the front end's fixed words in one language.
type words struct {
	Language, Library, Shipped, Name, TitleCol, Workspace, WorkspaceNote, File, NoFiles                          string
	Runs, Run, Status, NoRuns, Invalid, Valid, StartRun, Reps, ChartLang, Check, TOML                            string
	Validate, Warning, Progress, Cancel, Reload, Headline, Metric, Variant, Mean, Diff                           string
	Files, Charts, ErrorTitle, Back, Running, CI                                                                 string
	EditNote, Key, Value, Allowed, Source, Assumption, Save, TOMLView, NotSaved, Edit, Duplicate, NewName, Saved string
	NewScenario, Template, Create, Compare, ScenarioDiff, SameScenario                                           string
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
		Files: "Files", Charts: "Charts", ErrorTitle: "Something is not right", Back: "Back to the scenarios", Running: "running", CI: "95 % CI",
		EditNote: "Every value written as a plain number in the file is a field here; saving changes only those numbers, so the file's comments and layout stay. Other keys are edited in the TOML view.",
		Key:      "Key", Value: "Value", Allowed: "Allowed", Source: "Source", Assumption: "assumption:", Save: "Save",
		TOMLView: "TOML view", NotSaved: "Not saved: the scenario would not be valid. The messages are beside the fields.",
		Edit: "Edit in a form", Duplicate: "Copy to the workspace as", NewName: "File name", Saved: "Saved.",
		NewScenario: "A new scenario from a template", Template: "Template", Create: "Create", Compare: "Compare two runs",
		ScenarioDiff: "What differs in the scenario", SameScenario: "The scenarios are the same."},
	"sv": {Language: "Språk", Library: "Scenarier och körningar", Shipped: "Medföljande scenarier", Name: "Namn", TitleCol: "Titel",
		Workspace: "Dina scenarier", WorkspaceNote: "TOML-filer i arbetskatalogen:", File: "Fil",
		NoFiles: "Inga ännu: lägg en scenariofil i arbetskatalogen (ersim init mitt.toml skriver en).",
		Runs:    "Körningar", Run: "Kör", Status: "Status", NoRuns: "Inga ännu.", Invalid: "Scenariot är inte giltigt:",
		Valid: "Scenariot är giltigt.", StartRun: "Kör det", Reps: "Replikeringar", ChartLang: "Språk i diagram och rapport",
		Check: "Kontrollera ett scenario", TOML: "Scenario (TOML)", Validate: "Kontrollera", Warning: "Varning", Progress: "Förlopp",
		Cancel: "Avbryt", Reload: "Sidan uppdaterar sig själv och visar resultaten när körningen är klar.",
		Headline: "Huvudresultat", Metric: "Mått", Variant: "Variant", Mean: "Medelvärde", Diff: "Skillnad mot basalternativet",
		Files: "Filer", Charts: "Diagram", ErrorTitle: "Något är fel", Back: "Tillbaka till scenarierna", Running: "pågår", CI: "95 % KI",
		EditNote: "Varje värde som står som ett tal i filen är ett fält här; när du sparar ändras bara de talen, så filens kommentarer och layout finns kvar. Andra nycklar redigeras i TOML-vyn.",
		Key:      "Nyckel", Value: "Värde", Allowed: "Tillåtet", Source: "Källa", Assumption: "antagande:", Save: "Spara",
		TOMLView: "TOML-vy", NotSaved: "Inte sparat: scenariot skulle inte vara giltigt. Meddelandena står vid fälten.",
		Edit: "Redigera i ett formulär", Duplicate: "Kopiera till arbetskatalogen som", NewName: "Filnamn", Saved: "Sparat.",
		NewScenario: "Ett nytt scenario från en mall", Template: "Mall", Create: "Skapa", Compare: "Jämför två körningar",
		ScenarioDiff: "Vad som skiljer i scenariot", SameScenario: "Scenarierna är lika."},
}
