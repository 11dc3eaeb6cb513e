# Reference values for tests/test_stats.py and tests/test_reanalysis.py, computed by R, a second and
# independent implementation of every procedure the engine mirrors. Run from the project root:
#   make reference        (Rscript tests/reference/reference.R)
# It writes tests/reference/r_reference.csv, one row per (case, procedure), with the R version in each row.
# The tests only read the CSV, so CI needs no R. Inputs: R's own datasets, the fixture cohort in
# tests/fixtures/small_cohort, and the counts the article prints (data/published/article_numbers.csv).

options(digits = 17, warn = 1)
rows <- list()
r_version <- paste(R.version$major, R.version$minor, sep = ".")
add <- function(case, procedure, p_value = NA, statistic = NA, estimate = NA, conf_low = NA, conf_high = NA,
                q1 = NA, median = NA, q3 = NA) {
  rows[[length(rows) + 1]] <<- data.frame(case = case, procedure = procedure, p_value = p_value, statistic = statistic,
                                          estimate = estimate, conf_low = conf_low, conf_high = conf_high,
                                          q1 = q1, median = median, q3 = q3, r_version = r_version)
}
vector_text <- function(x) paste(format(x, digits = 17), collapse = " ")
inputs <- list()
add_input <- function(case, a, b = numeric(0)) {
  inputs[[length(inputs) + 1]] <<- data.frame(case = case, a = vector_text(a), b = vector_text(b))
}

# --- two-sample comparisons on vectors ---------------------------------------------------------------
two_sample <- function(case, a, b) {
  add_input(case, a, b)
  for (equal in c(TRUE, FALSE)) {
    t <- t.test(a, b, var.equal = equal)
    add(case, if (equal) "t_test_student" else "t_test_welch", t$p.value, unname(t$statistic))
  }
  w <- suppressWarnings(wilcox.test(a, b, exact = FALSE, correct = FALSE))
  add(case, "wilcox_asymptotic_no_correction", w$p.value, unname(w$statistic))
  w <- suppressWarnings(wilcox.test(a, b, exact = FALSE, correct = TRUE))
  add(case, "wilcox_asymptotic_correction", w$p.value, unname(w$statistic))
  if (!any(duplicated(c(a, b)))) {
    w <- wilcox.test(a, b, exact = TRUE)
    add(case, "wilcox_exact", w$p.value, unname(w$statistic))
  }
  for (name in c("a", "b")) {
    x <- if (name == "a") a else b
    q <- quantile(x, c(0.25, 0.5, 0.75), type = 6, names = FALSE)
    add(paste0(case, ":", name), "quantile_type_6", q1 = q[1], median = q[2], q3 = q[3])
  }
}
two_sample("sleep_extra", sleep$extra[sleep$group == 1], sleep$extra[sleep$group == 2])
two_sample("mtcars_mpg_by_am", mtcars$mpg[mtcars$am == 1], mtcars$mpg[mtcars$am == 0])
two_sample("airquality_ozone_may_vs_august", na.omit(airquality$Ozone[airquality$Month == 5]),
           na.omit(airquality$Ozone[airquality$Month == 8]))
# No ties: R's exact Wilcoxon (Hollander and Wolfe's depression scores, from ?wilcox.test).
depression_x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
depression_y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
two_sample("depression_scores", depression_x, depression_y)
# No ties at all: permeability constants of placental membranes (from ?wilcox.test), for the exact test.
two_sample("permeability_constants", c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46),
           c(1.15, 0.88, 0.90, 0.74, 1.21))

# The fixture cohort: anakinra cases against the historical pool, straight from the CSV.
fixture <- read.csv("tests/fixtures/small_cohort/patients.csv", stringsAsFactors = FALSE)
cases <- fixture$cohort == "anakinra"
two_sample("fixture_age_years", fixture$age_years[cases], fixture$age_years[!cases])
two_sample("fixture_charlson_index", fixture$charlson_index[cases], fixture$charlson_index[!cases])

# --- 2x2 tables: the article's printed counts, and the fixture's ---------------------------------------
record <- read.csv("data/published/article_numbers.csv", colClasses = "character")
group_size <- as.integer(record$value[record$source == "table1" & record$variable == "group_size" &
                                      record$group == "anakinra" & record$statistic == "n"])
printed <- function(source, variable, group, statistic) {
  value <- record$value[record$source == source & record$variable == variable & record$group == group &
                        record$statistic == statistic]
  if (length(value) == 0) NA else value
}
two_by_two <- function(case, a, n_a, b, n_b) {
  table <- matrix(c(a, n_a - a, b, n_b - b), nrow = 2, byrow = TRUE)
  add_input(case, c(a, n_a), c(b, n_b))
  for (correct in c(FALSE, TRUE)) {
    x <- suppressWarnings(chisq.test(table, correct = correct))
    add(case, if (correct) "chisq_yates" else "chisq_pearson", x$p.value, unname(x$statistic))
  }
  f <- fisher.test(table)
  add(case, "fisher_exact", f$p.value)
  if (all(table > 0)) {  # Woolf (logit) interval of the sample odds ratio, written out
    log_or <- log(table[1, 1] * table[2, 2] / (table[1, 2] * table[2, 1]))
    half <- qnorm(0.975) * sqrt(sum(1 / table))
    add(case, "odds_ratio_woolf", estimate = exp(log_or), conf_low = exp(log_or - half), conf_high = exp(log_or + half))
  }
  if (a > 0 && b > 0) {  # risk ratio with the interval on the log scale (Katz)
    log_rr <- log((a / n_a) / (b / n_b))
    half <- qnorm(0.975) * sqrt(1 / a - 1 / n_a + 1 / b - 1 / n_b)
    add(case, "risk_ratio_log", estimate = exp(log_rr), conf_low = exp(log_rr - half), conf_high = exp(log_rr + half))
  }
}
for (source in c("table1", "table3")) {
  for (variable in unique(record$variable[record$source == source])) {
    a <- printed(source, variable, "anakinra", "n")
    b <- printed(source, variable, "control", "n")
    p <- printed(source, variable, "anakinra", "pct")
    if (is.na(a) || is.na(b) || is.na(p) || variable == "obesity") next  # obesity's denominators are 18 and 19
    two_by_two(paste0("article_", source, "_", variable), as.integer(a), group_size, as.integer(b), group_size)
  }
}
two_by_two("article_table1_obesity_18_19", 7L, 18L, 11L, 19L)
two_by_two("fixture_is_male", sum(fixture$is_male[cases] == "true"), sum(cases),
           sum(fixture$is_male[!cases] == "true"), sum(!cases))

# --- matched pairs ------------------------------------------------------------------------------------
paired_counts <- function(case, b, c, both_yes = 5, both_no = 5) {
  add_input(case, c(b, c), c(both_yes, both_no))
  table <- matrix(c(both_yes, b, c, both_no), nrow = 2, byrow = TRUE)
  m <- mcnemar.test(table, correct = TRUE)
  add(case, "mcnemar_asymptotic_correction", m$p.value, unname(m$statistic))
  exact <- binom.test(b, b + c, 0.5)  # the exact McNemar test: discordant pairs against 1/2
  add(case, "mcnemar_exact", exact$p.value)
  ci <- binom.test(b, b + c)$conf.int
  add(case, "clopper_pearson", estimate = b / (b + c), conf_low = ci[1], conf_high = ci[2])
  or_low <- ci[1] / (1 - ci[1])
  or_high <- if (ci[2] < 1) ci[2] / (1 - ci[2]) else Inf
  add(case, "conditional_odds_ratio_exact", estimate = if (c > 0) b / c else Inf, conf_low = or_low, conf_high = or_high)
}
paired_counts("pairs_3_vs_9", 3, 9)
paired_counts("pairs_6_vs_2", 6, 2)
paired_counts("pairs_0_vs_4", 0, 4)
paired_counts("pairs_7_vs_7", 7, 7)

signed_rank <- function(case, x, y) {
  add_input(case, x, y)
  w <- suppressWarnings(wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = FALSE))
  add(case, "wilcox_signed_rank_asymptotic_no_correction", w$p.value, unname(w$statistic))
  w <- suppressWarnings(wilcox.test(x, y, paired = TRUE, exact = FALSE, correct = TRUE))
  add(case, "wilcox_signed_rank_asymptotic_correction", w$p.value, unname(w$statistic))
  d <- x - y
  if (!any(d == 0) && !any(duplicated(abs(d)))) {
    w <- wilcox.test(x, y, paired = TRUE, exact = TRUE)
    add(case, "wilcox_signed_rank_exact", w$p.value, unname(w$statistic))
  }
}
signed_rank("depression_scores_paired", depression_x, depression_y)
signed_rank("sleep_extra_paired", sleep$extra[sleep$group == 1], sleep$extra[sleep$group == 2])
# Ordinal statuses of 12 pairs, with ties and zero differences, as the reanalysis meets them.
signed_rank("ordinal_status_pairs", c(2, 3, 5, 6, 1, 4, 4, 3, 2, 6, 5, 3), c(4, 3, 4, 6, 2, 5, 3, 4, 2, 5, 6, 5))

write.csv(do.call(rbind, rows), "tests/reference/r_reference.csv", row.names = FALSE)
write.csv(do.call(rbind, inputs), "tests/reference/r_inputs.csv", row.names = FALSE)
cat("wrote tests/reference/r_reference.csv (", length(rows), "values ) and tests/reference/r_inputs.csv with R", r_version, "\n")
