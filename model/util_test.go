package model_test

import (
	"math"
	"strconv"
)

func sqrt(x float64) float64 { return math.Sqrt(x) }
func abs(x float64) float64  { return math.Abs(x) }
func itoa(i int) string      { return strconv.Itoa(i) }
