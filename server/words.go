package server

// words are the front end's fixed words in one language.
type words struct {
	Language, Library, Shipped, Name, TitleCol, Workspace, WorkspaceNote, File, NoFiles                   string
	Runs, Run, Status, NoRuns, Invalid, Valid, StartRun, Reps, ChartLang, Check, TOML                     string
	Validate, Warning, Progress, Cancel, Reload, Headline, Metric, Variant, Mean, Diff                    string
	Files, Charts, ErrorTitle, Back, Running, CI                                                          string
	EditNote, Key, Value, Allowed, Source, Assumption, Save, TOMLView, NotSaved, Edit                     string
	Duplicate, NewName, Saved, NewScenario, Template, Create, Compare, ScenarioDiff                       string
	SameScenario, Parts, Filter, FilterNote, UnitDefault, DefaultWord, Required                           string
	NotSavedTOML, Rename, SaveTOML, Warnings, SaveTOMLNote, WhatToRun, KindRun, KindPSA                   string
	KindSens, KindSweep, RepsNote, SweepAxes, SetNote, Set1, Set2, Interrupted                            string
	InterruptedNote, Resume, Discard, Kind, CETitle, CENote, DCost, DHealth, ICER                         string
	VsBaseline, NMB, Frontier, Skip, Done, InterruptedAfter, Cancelled, Failed, NotInFile, Seed, SeedNote string
	Kinds                                                                                                 map[string]string // by kind of run
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
		EditNote: "Every key whose value is written on its own line as a number, true/false, a plain text or a one-line list (separated by commas) is a field here, with its unit, default and meaning from the scenario reference and what the validator allows. Saving changes only those values, so the file's comments and layout stay, and writes the file only when the whole scenario is valid. Lists over several lines, and lines holding the same key twice, are edited in the TOML view.",
		Parts:    "Parts", Filter: "Show only keys containing", FilterNote: "for example fee, indicators or lov_pc", UnitDefault: "Unit; default", DefaultWord: "default", Required: "required", NotSavedTOML: "Not saved: the text is not a valid scenario (the messages are below). The file is as it was.", Rename: "Rename to", SaveTOML: "Save the file", Warnings: "Warnings",
		SaveTOMLNote: "saved only when the text is a valid scenario; the form shows the same file",
		WhatToRun:    "What to run", KindRun: "A run: every variant with the replications below",
		KindPSA:   "A probabilistic sensitivity analysis (PSA): the [uncertainty] parameters drawn once per replication",
		KindSens:  "One-way sensitivity (tornado): each [uncertainty] parameter at its low and high value",
		KindSweep: "A sweep of one or two parameters (a line or a grid), given below",
		RepsNote:  "per variant (and per point of a sensitivity analysis or sweep); at most",
		SweepAxes: "For a sweep", SetNote: "KEY=LOW:HIGH:STEPS, the key path as in [uncertainty]; a second one makes a grid. At most 100 points.",
		Set1: "Parameter", Set2: "Second parameter (optional)",
		Interrupted: "Interrupted runs", InterruptedNote: "These runs were cancelled or stopped with the server. Their complete replications are kept: resuming runs the rest and writes what an uninterrupted run writes; discarding removes them.",
		Resume: "Resume", Skip: "Skip to the content", Done: "done", InterruptedAfter: "interrupted after %s replications; resume or discard it on the library page", Cancelled: "cancelled before any replication was complete; nothing was kept", Failed: "failed", Seed: "Seed", SeedNote: "empty: the scenario's own; the same seed gives the same numbers, whatever the machine", NotInFile: "not in the file; the value in effect (a change adds the key to its table).", Discard: "Discard", Kind: "Kind",
		Kinds:   map[string]string{"run": "run", "psa": "PSA", "sensitivity": "sensitivity", "sweep": "sweep"},
		CETitle: "Cost-effectiveness (payer)", CENote: "Each variant against the baseline, per year: cost in MSEK, health in health units, the ICER in SEK per health unit, and the net monetary benefit at the scenario's value of health. costeffectiveness.csv has the society's perspective and the frontier's incremental ICERs too.",
		DCost: "Δ cost (MSEK)", DHealth: "Δ health", ICER: "ICER", VsBaseline: "Against the baseline", NMB: "Net monetary benefit (MSEK)", Frontier: "Frontier",
		Key: "Key", Value: "Value", Allowed: "Allowed", Source: "Source", Assumption: "assumption:", Save: "Save",
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
		EditNote: "Varje nyckel vars värde står på en egen rad som ett tal, true/false, en enkel text eller en lista på en rad (kommaseparerad) är ett fält här, med enhet, standardvärde och betydelse ur scenarioreferensen och vad valideringen tillåter. När du sparar ändras bara de värdena, så filens kommentarer och layout finns kvar, och filen skrivs bara om hela scenariot är giltigt. Listor över flera rader, och rader där samma nyckel står två gånger, redigeras i TOML-vyn.",
		Parts:    "Delar", Filter: "Visa bara nycklar som innehåller", FilterNote: "till exempel fee, indicators eller lov_pc", UnitDefault: "Enhet; standard", DefaultWord: "standard", Required: "obligatorisk", NotSavedTOML: "Inte sparat: texten är inte ett giltigt scenario (meddelandena står nedan). Filen är som den var.", Rename: "Byt namn till", SaveTOML: "Spara filen", Warnings: "Varningar",
		SaveTOMLNote: "sparas bara om texten är ett giltigt scenario; formuläret visar samma fil",
		WhatToRun:    "Vad som ska köras", KindRun: "En körning: alla varianter med replikeringarna nedan",
		KindPSA:   "En probabilistisk känslighetsanalys (PSA): parametrarna i [uncertainty] dras en gång per replikering",
		KindSens:  "Envägs känslighetsanalys (tornado): varje parameter i [uncertainty] på sitt låga och höga värde",
		KindSweep: "Ett svep över en eller två parametrar (en linje eller ett rutnät), angivna nedan",
		RepsNote:  "per variant (och per punkt i en känslighetsanalys eller ett svep); högst",
		SweepAxes: "För ett svep", SetNote: "NYCKEL=LÅG:HÖG:STEG, nyckelns sökväg som i [uncertainty]; en andra ger ett rutnät. Högst 100 punkter.",
		Set1: "Parameter", Set2: "Andra parameter (valfri)",
		Interrupted: "Avbrutna körningar", InterruptedNote: "De här körningarna avbröts eller stoppades med servern. Deras färdiga replikeringar finns kvar: återuppta kör resten och skriver det en oavbruten körning skriver; kasta tar bort dem.",
		Resume: "Återuppta", Skip: "Hoppa till innehållet", Done: "klar", InterruptedAfter: "avbruten efter %s replikeringar; återuppta eller kasta den på startsidan", Cancelled: "avbruten innan någon replikering var klar; inget sparades", Failed: "misslyckades", Seed: "Frö", SeedNote: "tomt: scenariots eget; samma frö ger samma tal, oavsett dator", NotInFile: "finns inte i filen; värdet som gäller (en ändring lägger till nyckeln i sin tabell).", Discard: "Kasta", Kind: "Slag",
		Kinds:   map[string]string{"run": "körning", "psa": "PSA", "sensitivity": "känslighet", "sweep": "svep"},
		CETitle: "Kostnadseffektivitet (betalare)", CENote: "Varje variant mot basalternativet, per år: kostnad i MSEK, hälsa i hälsoenheter, ICER i kronor per hälsoenhet och nettonyttan i pengar vid scenariots värde av hälsa. costeffectiveness.csv har också samhällets perspektiv och frontens inkrementella ICER.",
		DCost: "Δ kostnad (MSEK)", DHealth: "Δ hälsa", ICER: "ICER", VsBaseline: "Mot basalternativet", NMB: "Nettonytta (MSEK)", Frontier: "Front",
		Key: "Nyckel", Value: "Värde", Allowed: "Tillåtet", Source: "Källa", Assumption: "antagande:", Save: "Spara",
		TOMLView: "TOML-vy", NotSaved: "Inte sparat: scenariot skulle inte vara giltigt. Meddelandena står vid fälten.",
		Edit: "Redigera i ett formulär", Duplicate: "Kopiera till arbetskatalogen som", NewName: "Filnamn", Saved: "Sparat.",
		NewScenario: "Ett nytt scenario från en mall", Template: "Mall", Create: "Skapa", Compare: "Jämför två körningar",
		ScenarioDiff: "Vad som skiljer i scenariot", SameScenario: "Scenarierna är lika."},
}
