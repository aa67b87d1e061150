package model

import (
	"hash/fnv"

	"ersim/scenarios"
)

// maxGroups bounds the number of need groups, so per-provider state is fixed-size arrays
// and a provider-period allocates nothing.
const maxGroups = 8

// maxKinds bounds the visit kinds; a provider's volume is chosen per cell, a need group
// and a kind (cell index g·maxKinds + k).
const (
	maxKinds = 4
	maxCells = maxGroups * maxKinds
)

// Contract form indices, in scenarios.ContractForms order.
const (
	formDirekt = iota
	formLOU
	formLOV
	formLOL
	formLOF
	nForms
)

// Provider attributes drawn per provider.
const (
	attrFTE = iota
	attrHours
	attrMinutes
	attrList
	attrCost
	attrCostFTE
	attrAlpha
	attrGaming
	attrPrice
	nAttrs
)

type group struct {
	name                       string
	share, demand, sstar, smax float64
	beta, costWeight           float64
	noShow                     float64 // share of booked visits not attended
}

// kind is a kind of visit (issue 13). A scenario without visit_kinds has one kind whose
// factors are all 1, so its arithmetic is the same as before kinds existed.
type kind struct {
	name                          string
	share                         [maxGroups]float64 // of the need group's demand, optimum and maximum
	minutes, cost, claim, benefit float64            // factors on the cohort's, rule's and group's
	patient                       bool               // patient-initiated: volume at most demand
	patientFee                    float64            // SEK per attended visit
	demandMult                    float64            // exp(−response·fee/100) for patient-initiated kinds
	subst                         int                // the kind a visit of this kind replaces in part, −1 none
	substShare                    float64
}

type area struct {
	name  string
	share float64
	mix   [maxGroups]float64 // need mix of the area's residents
}

type cohort struct {
	name        string
	key         uint64
	form        int
	rule        int
	regime      int
	area        int // −1: spread over areas
	public      bool
	private     bool // for-profit ownership
	count       int
	maxEntrants int
	kinds       []int   // visit kinds the cohort provides
	needTilt    float64 // tilt of the patients' need mix from the area's
	outOfRegion bool    // LOV providers outside the region: entrants bring new users
	episodes    bool    // the providers do episodes (issue 14)
	capacity    scenarios.Param
	attrs       [nAttrs]scenarios.Param
	meanAlpha   float64
	control     float64 // C in [0,1], §4.4
}

// Variant is one resolved variant compiled for simulation.
type Variant struct {
	Name          string
	Description   string
	BudgetNeutral bool

	seed         uint64
	periodsPerYr int
	burnIn       int
	years        int
	periods      int // burn-in + counted
	discountRate float64
	residents    float64
	growth       float64 // relative change in residents per year
	healthValue  float64
	groups       []group
	kinds        []kind
	hasKinds     bool // the scenario declared visit_kinds: outputs gain rows by kind
	substitutes  bool // some kind substitutes for another: the region tracks its visits
	areas        []area
	rules        []rule
	regimes      []regime
	cohorts      []cohort
	beh          behaviour
	ep           *episodeSpec // nil without [episodes]
	noise        *lognormalTable
	// priceScale is the factor budget-neutral calibration put on the changed rules.
	priceScale float64
	calibReps  int
}

func nameKey(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

func formIndex(f string) int {
	for i, n := range scenarios.ContractForms {
		if n == f {
			return i
		}
	}
	panic("model: unknown contract form " + f + " (the scenario was not validated)")
}

// PriceScale is the factor budget-neutral calibration put on the prices of the rules the
// variant changes (1 for other variants).
func (v *Variant) PriceScale() float64 { return v.priceScale }

// HealthValue is the variant's value of a health unit, SEK (population.health_unit_value_sek).
func (v *Variant) HealthValue() float64 { return v.healthValue }
