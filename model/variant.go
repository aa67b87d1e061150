package model

import (
	"hash/fnv"

	"ersim/scenarios"
)

// maxGroups bounds the number of need groups, so per-provider state is fixed-size arrays
// and a provider-period allocates nothing.
const maxGroups = 8

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
	areas        []area
	rules        []rule
	regimes      []regime
	cohorts      []cohort
	beh          behaviour
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
