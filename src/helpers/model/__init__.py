"""The model, numbers only: vocabulary, activities, the one sampler, the one evaluation, services, levers, trajectory, maturity, RGESN."""
