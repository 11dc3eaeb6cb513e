# Exact rank-sum P-values with ties, from two independent R packages, for tests/test_exact_ranks.py:
#   exactRankTests::wilcox.exact (Hothorn and Hornik; shift algorithm, two-sided P by doubling the smaller tail)
#   coin::wilcox_test(distribution = "exact") (Hothorn et al.; two-sided P from |T - E(T)|)
# Debian: apt-get install r-base-core r-cran-coin r-cran-exactranktests. Run from the project root:
#   Rscript tests/reference/exact_rank_tests.R
# It writes tests/reference/r_exact_rank.csv, one row per (case, package), with both samples and the versions. The
# tests only read the CSV, so CI needs no R.

options(digits = 17, warn = 1)
suppressPackageStartupMessages({
  library(coin)
  library(exactRankTests)
})
rows <- list()
vector_text <- function(x) paste(format(x, digits = 17), collapse = " ")
add_case <- function(case, a, b) {
  ert <- exactRankTests::wilcox.exact(a, b, exact = TRUE, alternative = "two.sided")
  values <- c(a, b)
  group <- factor(c(rep("a", length(a)), rep("b", length(b))), levels = c("a", "b"))
  ct <- coin::wilcox_test(values ~ group, distribution = "exact", alternative = "two.sided")
  common <- data.frame(case = case, a = vector_text(a), b = vector_text(b), r_version = paste(R.version$major, R.version$minor, sep = "."))
  rows[[length(rows) + 1]] <<- cbind(common, package = "exactRankTests", version = as.character(packageVersion("exactRankTests")),
                                     p_value = ert$p.value)
  rows[[length(rows) + 1]] <<- cbind(common, package = "coin", version = as.character(packageVersion("coin")),
                                     p_value = coin::pvalue(ct))
}

# small samples without ties (the untied distribution SPSS's "Exact Sig." reads)
add_case("untied_4_5", c(1.2, 3.4, 5.6, 7.1), c(2.2, 4.4, 6.6, 8.8, 9.9))
# ties, small and unequal groups
add_case("ties_6_5", c(1, 2, 2, 3, 3, 3), c(2, 3, 4, 4, 5))
add_case("ties_3_8", c(1, 1, 2), c(1, 2, 2, 3, 3, 3, 4, 4))
add_case("all_tied_but_one", c(5, 5, 5, 5), c(5, 5, 5, 6))
# the article's sizes: ordinal scores 1-6 of 20 against 20, heavy ties (status-like data)
add_case("ordinal_20_20", c(1, 1, 1, 1, 1, 2, 3, 3, 4, 4, 4, 4, 4, 5, 5, 6, 6, 6, 6, 6),
         c(1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 6))
# day counts of 20 against 20 with tie groups (an onset-like interval)
add_case("days_20_20", c(9, 12, 13, 13, 14, 15, 16, 16, 16, 17, 18, 20, 21, 22, 25, 25, 26, 28, 30, 34),
         c(8, 10, 12, 12, 13, 14, 15, 16, 16, 16, 16, 17, 19, 20, 22, 22, 23, 24, 26, 31))
# unequal laboratory denominators (16 against 15, as Table 2's D-dimer), a few ties
add_case("lab_16_15", c(300, 800, 1165, 1165, 2000, 2500, 3045, 3045, 5000, 8000, 12000, 17278, 17278, 20000, 30000, 41000),
         c(500, 900, 1241, 1241, 3000, 4500, 6585, 6585, 9000, 11000, 15000, 18449, 18449, 25000, 35000))

write.csv(do.call(rbind, rows), "tests/reference/r_exact_rank.csv", row.names = FALSE)
