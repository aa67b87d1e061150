package model

import "ersim/scenarios"

// behaviour is the scenario's behavioural parameters as plain numbers.
type behaviour struct {
	dutyFloor, noise, maxCompress, waitElast float64
	discretionary, poisson, capacity         bool

	quality                             bool
	vm, vu, effortCost, rho, wm, lossAv float64
	achResponse, lengthElast, refAlpha  float64

	baseHours, claimHours, catComplex, indHours, auditHours float64
	indPatHours, otherClinHours                             float64
	revHours, regRevHours                                   float64
	clinShare, hourly                                       float64
	regIndicator, regAudit, regHourly                       float64

	upcoding                   bool
	upStep, upMax, upForProfit float64

	exceptions                bool
	exClinical, exMax, exBand float64

	skimming                         bool
	skimStrength, skimMax, skimSpeed float64

	kappa, lambda, refControl float64

	staffing             bool
	staffSpeed, staffMax float64

	entry                                         bool
	lovRate, lovThreshold, lovScale, locationBias float64
	entrantShare, exitThreshold                   float64
	exitPeriods                                   int
	louYears, louPriceSD, transferRate, newEst    float64

	choice                         bool
	activeShare, reconsider, theta float64

	ceilings bool
	safetyZ  float64

	deficient, flagLevel float64
}

func (v *Variant) compileBehaviour(b *scenarios.Behaviour) {
	on := scenarios.On
	v.beh = behaviour{
		dutyFloor: b.Volume.DutyFloor.Value, noise: b.Volume.DecisionNoise.Value,
		maxCompress: b.Volume.MaxCompression.Value, waitElast: b.Volume.WaitElasticity.Value,
		discretionary: on(b.Volume.Discretionary), poisson: on(b.Volume.Poisson), capacity: on(b.Volume.Capacity),

		quality: on(b.Quality.Enabled), vm: b.Quality.ValueMeasured.Value, vu: b.Quality.ValueUnmeasured.Value,
		effortCost: b.Quality.EffortCost.Value, rho: b.Quality.Substitution.Value, wm: b.Quality.WeightMeasured.Value,
		lossAv: b.Quality.LossAversion.Value, achResponse: b.Quality.AchievementResponse.Value,
		lengthElast: b.Quality.VisitLengthElasticity.Value, refAlpha: b.Quality.ReferenceAltruism.Value,

		baseHours: b.Admin.BaseHours.Value, claimHours: b.Admin.ClaimHours.Value,
		catComplex: b.Admin.CategoryComplexity.Value, indHours: b.Admin.IndicatorHours.Value,
		auditHours: b.Admin.AuditHours.Value, clinShare: b.Admin.ClinicianShare.Value,
		indPatHours: b.Admin.IndicatorPatientHours.Value, otherClinHours: b.Admin.OtherClinicianHours.Value,
		revHours: b.Admin.ReviewHours.Value, regRevHours: b.Admin.ReviewRegionHours.Value,
		hourly:       b.Admin.HourlyCost.Value,
		regIndicator: b.Admin.IndicatorRegionHours.Value, regAudit: b.Admin.AuditRegionHours.Value,
		regHourly: b.Admin.RegionHourlyCost.Value,

		upcoding: on(b.Upcoding.Enabled), upStep: b.Upcoding.Step.Value, upMax: b.Upcoding.Max.Value,
		upForProfit: b.Upcoding.ForProfitMultiplier.Value,

		exceptions: on(b.Exceptions.Enabled), exClinical: b.Exceptions.Clinical.Value,
		exMax: b.Exceptions.MaxGaming.Value, exBand: b.Exceptions.Bandwidth.Value,

		skimming: on(b.Skimming.Enabled), skimStrength: b.Skimming.Strength.Value,
		skimMax: b.Skimming.MaxTilt.Value, skimSpeed: b.Skimming.Speed.Value,

		staffing: on(b.Staffing.Enabled) && b.Staffing.Speed.Value > 0, staffSpeed: b.Staffing.Speed.Value,
		staffMax: b.Staffing.MaxChange.Value,

		kappa: b.Motivation.Kappa.Value, lambda: b.Motivation.Lambda.Value,
		refControl: b.Motivation.ReferenceControl.Value,

		entry: on(b.Entry.Enabled), lovRate: b.Entry.LOVRate.Value, lovThreshold: b.Entry.LOVThreshold.Value,
		lovScale: b.Entry.LOVScale.Value, locationBias: b.Entry.LocationBias.Value,
		entrantShare: b.Entry.EntrantListShare.Value, exitThreshold: b.Entry.ExitThreshold.Value,
		exitPeriods: b.Entry.ExitPeriods, louYears: b.Entry.LOUContractYears.Value,
		louPriceSD: b.Entry.LOUPriceSD.Value, transferRate: b.Entry.TransferRate.Value,
		newEst: b.Entry.NewEstablishments.Value,

		choice: on(b.Choice.Enabled), activeShare: b.Choice.ActiveShare.Value,
		reconsider: b.Choice.Reconsider.Value, theta: b.Choice.Theta.Value,

		ceilings: on(b.Ceilings.Enabled), safetyZ: b.Ceilings.SafetyZ.Value,

		deficient: b.Followup.DeficientQuality.Value, flagLevel: b.Followup.FlagLevel.Value,
	}
}
